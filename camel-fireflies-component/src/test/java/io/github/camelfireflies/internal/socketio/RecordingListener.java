package io.github.camelfireflies.internal.socketio;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback of a session, in order. */
final class RecordingListener implements SessionListener {

    record Connected(String sid, boolean reconnected, long gapMillis) {
    }

    record Lost(String reason, int attempt, long delayMillis, long atNanos, long atMillis) {
    }

    final List<Connected> connected = new CopyOnWriteArrayList<>();
    final List<Packet.Event> events = new CopyOnWriteArrayList<>();
    final List<SocketIoProtocolException> protocolErrors = new CopyOnWriteArrayList<>();
    final List<Boolean> binaryFrames = new CopyOnWriteArrayList<>();
    final List<Lost> lost = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();
    final List<String> serverDisconnects = new CopyOnWriteArrayList<>();
    final List<String> transitions = new CopyOnWriteArrayList<>();
    final List<String> all = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected(String sid, boolean reconnected, long gapMillis) {
        connected.add(new Connected(sid, reconnected, gapMillis));
        all.add("connected");
    }

    @Override
    public void onEvent(Packet.Event event) {
        events.add(event);
        all.add("event " + event.name());
    }

    @Override
    public void onProtocolError(SocketIoProtocolException error) {
        protocolErrors.add(error);
        all.add("protocolError");
    }

    @Override
    public void onBinaryFrame(ByteBuffer frame, boolean attachment) {
        binaryFrames.add(attachment);
        all.add("binary " + attachment);
    }

    @Override
    public void onConnectionLost(String reason, Throwable cause, int attempt, long delayMillis) {
        lost.add(new Lost(reason, attempt, delayMillis, System.nanoTime(), System.currentTimeMillis()));
        all.add("lost " + attempt);
    }

    @Override
    public void onServerDisconnect() {
        serverDisconnects.add("41");
        all.add("serverDisconnect");
    }

    @Override
    public void onFailed(String reason, Throwable cause) {
        failed.add(reason);
        all.add("failed");
    }

    @Override
    public void onStateChanged(SocketIoSession.State from, SocketIoSession.State to) {
        transitions.add(from + "->" + to);
    }

    SocketIoSession.State lastReportedState() {
        String last = transitions.get(transitions.size() - 1);
        return SocketIoSession.State.valueOf(last.substring(last.indexOf("->") + 2));
    }
}
