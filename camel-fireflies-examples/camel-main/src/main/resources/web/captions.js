// Live captions: one line per chunk_id; a revision of a chunk replaces the text of its line.
(function () {
  'use strict';
  var captions = document.getElementById('captions');
  var status = document.getElementById('status');
  var lines = new Map();

  function render(event) {
    var line = lines.get(event.chunk_id);
    if (!line) {
      line = document.createElement('p');
      line.className = 'line';
      line.dataset.chunkId = event.chunk_id;
      var speaker = document.createElement('span');
      speaker.className = 'speaker';
      var text = document.createElement('span');
      text.className = 'text';
      line.appendChild(speaker);
      line.appendChild(text);
      captions.appendChild(line);
      lines.set(event.chunk_id, line);
    } else if (line.querySelector('.text').textContent !== event.text) {
      line.classList.add('revised');
    }
    line.querySelector('.speaker').textContent = (event.speaker_name || '?') + ':';
    line.querySelector('.text').textContent = event.text;
    window.scrollTo(0, document.body.scrollHeight);
  }

  var source = new EventSource('events');
  source.onopen = function () {
    status.textContent = 'live';
    status.className = 'live';
  };
  source.onerror = function () {
    status.textContent = 'reconnecting…';
    status.className = '';
  };
  source.onmessage = function (message) {
    try {
      render(JSON.parse(message.data));
    } catch (e) {
      console.warn('ignored a caption event', e);
    }
  };
}());
