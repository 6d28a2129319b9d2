// Live meetings dashboard. The server (MeetingBoard) sends Server-Sent Events, each a JSON object whose "type" says
// what it updates: "meeting" (a panel), "segment" (a caption line, keyed by chunk_id: a revision replaces its line),
// "gap" (a reconnect of a meeting's stream, and how many segments the backfill filled in), "talk" (each speaker's
// talk time) and "actions" (the meeting's live action items, and a note about the last request). Every message is an upsert, so the state the server sends again after the page reconnects simply
// overwrites what is shown.
(function () {
  'use strict';

  var COLOURS = 8;
  var MAX_LINES = 400; // per panel: older lines leave the page (talk time still counts them)
  var meetingsEl = document.getElementById('meetings');
  var emptyEl = document.getElementById('empty');
  var connectionEl = document.getElementById('connection');
  var countsEl = document.getElementById('counts');
  var announcer = document.getElementById('announcer');
  var panelTemplate = document.getElementById('panel-template');
  var segmentTemplate = document.getElementById('segment-template');
  var panels = new Map();
  var online = false;
  var lines = 0;

  // Per-segment actions: functions (segment, meetingId) returning an element (a button...) or null, appended to the
  // line's ".actions" cell when the line is made. The first sends the segment as a live action item.
  var segmentActions = [actionItemButton];
  window.firefliesDashboard = { segmentActions: segmentActions };

  function note(meetingId, text) {
    var panel = panels.get(meetingId);
    if (panel) {
      var box = panel.el.querySelector('.action-items');
      box.querySelector('.action-note').textContent = text || '';
      box.hidden = !text && !box.querySelector('.action-list').children.length;
    }
  }

  // POST /action-items answers at once; the list (or why nothing was sent) comes back as an "actions" update.
  function actionItemButton(s, meetingId) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'action-button';
    button.textContent = '+';
    button.title = 'Send this segment as a live action item';
    button.setAttribute('aria-label', 'Send as a live action item');
    button.addEventListener('click', function () {
      var line = button.closest('.segment');
      var text = line ? line.querySelector('.text').textContent : '';
      if (button.getAttribute('aria-disabled') === 'true') {
        return;
      }
      button.setAttribute('aria-disabled', 'true'); // not "disabled": that would take the keyboard focus away
      note(meetingId, 'Sending…');
      fetch('action-items', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ meeting: meetingId, text: text })
      }).then(function (response) {
        if (!response.ok) {
          note(meetingId, response.status === 503 ? 'Busy: please try again in a moment.' : 'Sorry, that could not be sent.');
        }
      }).catch(function () {
        note(meetingId, 'Sorry, the dashboard server cannot be reached.');
      }).then(function () {
        button.removeAttribute('aria-disabled');
      });
    });
    return button;
  }

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(s / 3600);
    var m = Math.floor(s / 60) % 60;
    var ss = ('0' + (s % 60)).slice(-2);
    return h > 0 ? h + ':' + ('0' + m).slice(-2) + ':' + ss : m + ':' + ss;
  }

  function colourClass(index) {
    return 'spk-' + ((index || 0) % COLOURS);
  }

  function panelFor(id) {
    var panel = panels.get(id);
    if (panel) {
      return panel;
    }
    var el = panelTemplate.content.firstElementChild.cloneNode(true);
    var headingId = 'meeting-' + panels.size;
    el.dataset.meetingId = id;
    el.setAttribute('aria-labelledby', headingId);
    el.querySelector('h2').id = headingId;
    el.querySelector('h2').textContent = id;
    el.querySelector('.captions').setAttribute('aria-label', 'Captions');
    panel = {
      id: id, el: el, title: id, state: 'live',
      list: el.querySelector('.captions'), segments: new Map(), gaps: new Map(), speakers: new Map()
    };
    panels.set(id, panel);
    meetingsEl.appendChild(el);
    emptyEl.hidden = true;
    return panel;
  }

  function showState(panel) {
    var shown = !online && panel.state !== 'ended' ? 'reconnecting' : panel.state;
    var badge = panel.el.querySelector('.state');
    panel.el.dataset.state = shown;
    badge.dataset.state = shown;
    badge.textContent = shown;
    badge.title = shown === 'reconnecting' ? 'The page lost its connection to the dashboard server and is reconnecting' : '';
  }

  function updateCounts() {
    var n = { live: 0, paused: 0, ended: 0 };
    panels.forEach(function (p) { n[p.state] = (n[p.state] || 0) + 1; });
    var parts = [];
    ['live', 'paused', 'ended'].forEach(function (s) {
      if (n[s]) {
        parts.push(n[s] + ' ' + s);
      }
    });
    countsEl.textContent = parts.join(' · ');
  }

  function onMeeting(m) {
    var known = panels.has(m.id);
    var panel = panelFor(m.id);
    var before = known ? panel.state : null;
    panel.title = m.title || m.id;
    panel.state = m.state;
    panel.el.querySelector('h2').textContent = panel.title;
    var started = m.started_at ? new Date(m.started_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
    panel.el.querySelector('.organizer').textContent =
        [m.organizer, started ? 'since ' + started : ''].filter(Boolean).join(' · ');
    showState(panel);
    updateCounts();
    if (before !== m.state && (m.state === 'ended' || !known)) {
      announcer.textContent = 'Meeting ' + panel.title + (m.state === 'ended' ? ' ended' : ' started');
    }
  }

  // Keeps the list in time order: each line and note has data-at (seconds); one goes after those at or before it.
  // Live lines come in order, so the scan from the end usually stops at once.
  function place(list, el, at) {
    el.dataset.at = at;
    var before = null;
    for (var c = list.lastElementChild; c; c = c.previousElementSibling) {
      if (c === el) {
        continue;
      }
      if (Number(c.dataset.at) <= at) {
        break;
      }
      before = c;
    }
    if (el.parentNode !== list || el.nextElementSibling !== before) {
      list.insertBefore(el, before);
    }
  }

  function atBottom(list) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  }

  function onSegment(s) {
    var panel = panelFor(s.meeting);
    var stick = atBottom(panel.list);
    var known = panel.segments.get(s.chunk_id);
    var el = known ? known.el : null;
    if (!el) {
      el = segmentTemplate.content.firstElementChild.cloneNode(true);
      el.dataset.chunkId = s.chunk_id;
      var textId = 'segment-text-' + (++lines);
      el.querySelector('.text').id = textId;
      var actions = el.querySelector('.actions');
      segmentActions.forEach(function (make) {
        var a = make(s, s.meeting);
        if (a) {
          if (a.tagName === 'BUTTON') {
            a.setAttribute('aria-describedby', textId); // a screen reader says which line it acts on
          }
          actions.appendChild(a);
        }
      });
    } else if (known.data.text !== s.text) {
      el.classList.remove('revised');
      void el.offsetWidth; // restart the highlight
      el.classList.add('revised');
    }
    el.className = el.className.replace(/\bspk-\d+\b/g, '').trim() + ' ' + colourClass(s.speaker_index);
    el.classList.toggle('backfill', !!s.backfill);
    el.dataset.revision = s.revision;
    var time = el.querySelector('.time');
    time.textContent = clock(s.start);
    time.title = clock(s.start) + '–' + clock(s.end) + (s.backfill ? ' · filled in from the transcript after the stream missed it' : '');
    el.querySelector('.speaker').textContent = (s.speaker || 'Unknown') + ':';
    el.querySelector('.text').textContent = s.text || '';
    panel.segments.set(s.chunk_id, { el: el, data: s });
    if (!known || known.data.start !== s.start) {
      place(panel.list, el, s.start);
    }
    if (panel.segments.size > MAX_LINES) {
      var oldest = panel.segments.keys().next().value;
      panel.segments.get(oldest).el.remove();
      panel.segments.delete(oldest);
    }
    if (stick) {
      panel.list.scrollTop = panel.list.scrollHeight;
    }
  }

  function onGap(g) {
    var panel = panelFor(g.meeting);
    var stick = atBottom(panel.list);
    var el = panel.gaps.get(g.gap);
    if (!el) {
      el = document.createElement('li');
      el.className = 'gap-note';
      panel.gaps.set(g.gap, el);
    }
    el.textContent = 'Reconnected after ' + (g.gap_ms / 1000).toFixed(1) + ' s' +
        (g.healed > 0 ? ' · ' + g.healed + (g.healed === 1 ? ' segment' : ' segments') + ' filled in' : '');
    place(panel.list, el, g.at - 0.001);
    if (stick) {
      panel.list.scrollTop = panel.list.scrollHeight;
    }
  }

  // Talk time per speaker, as the server counts it: a bar of coloured parts and a legend with the times.
  function onTalk(t) {
    var panel = panelFor(t.meeting);
    var speakers = t.speakers || [];
    var bar = panel.el.querySelector('.talk-bar');
    var legend = panel.el.querySelector('.talk-legend');
    while (bar.children.length < speakers.length) {
      bar.appendChild(document.createElement('span'));
    }
    while (legend.children.length < speakers.length) {
      legend.appendChild(document.createElement('li'));
    }
    speakers.forEach(function (s, i) {
      var part = bar.children[i];
      part.className = colourClass(s.speaker_index);
      part.style.flexGrow = s.seconds;
      var item = legend.children[i];
      item.className = colourClass(s.speaker_index);
      item.textContent = '';
      var name = document.createElement('b');
      name.textContent = s.speaker || 'Unknown';
      item.appendChild(name);
      item.appendChild(document.createTextNode(' ' + clock(Math.round(s.seconds))));
    });
  }

  // The meeting's live action items as last listed, and a note about the last request (null when it went well).
  function onActions(a) {
    var panel = panelFor(a.meeting);
    var box = panel.el.querySelector('.action-items');
    var list = box.querySelector('.action-list');
    if (a.items) {
      var shown = Array.prototype.map.call(list.children, function (li) { return li.textContent; });
      var wanted = a.items.map(function (i) { return i.action_item || ''; });
      if (shown.join('\n') !== wanted.join('\n')) {
        list.textContent = '';
        wanted.forEach(function (text) {
          var li = document.createElement('li');
          li.textContent = text;
          list.appendChild(li);
        });
      }
    }
    note(a.meeting, a.note);
  }

  function setOnline(value) {
    online = value;
    connectionEl.textContent = value ? 'connected' : 'reconnecting…';
    connectionEl.className = 'connection ' + (value ? 'live' : 'reconnecting');
    document.body.classList.toggle('offline', !value);
    panels.forEach(showState);
  }

  var handlers = { meeting: onMeeting, segment: onSegment, gap: onGap, talk: onTalk, actions: onActions };
  var source = new EventSource('events');
  source.onopen = function () {
    setOnline(true);
  };
  source.onerror = function () {
    setOnline(false);
  };
  source.onmessage = function (message) {
    var update;
    try {
      update = JSON.parse(message.data);
    } catch (e) {
      console.warn('ignored an update that is not JSON', e);
      return;
    }
    var handle = handlers[update.type];
    if (handle) {
      handle(update);
    }
  };
}());
