package dev.keel.kernel.raft;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/** Renders messages and entries compactly for scenario output. */
final class MessageFormatter {
    private MessageFormatter() {
    }

    static String describe(Envelope e) {
        MessageDecoder m = new MessageDecoder();
        int status = m.wrap(new UnsafeBuffer(e.bytes()), 0, e.bytes().length);
        if (status != DecodeStatus.OK) {
            return e.from() + "->" + e.to() + " <malformed: " + DecodeStatus.describe(status) + ">";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(m.from()).append("->").append(m.to()).append(' ').append(MessageType.name(m.type()))
                .append(" term=").append(m.term());
        boolean reject = m.reject();
        switch (m.type()) {
            case MessageType.APP:
                sb.append(" log=").append(m.index()).append('/').append(m.logTerm()).append(" commit=")
                        .append(m.commit());
                appendEntries(sb, m);
                break;
            case MessageType.APP_RESP:
                sb.append(reject ? " reject index=" + m.index() + " hint=" + m.hint() + "/" + m.logTerm()
                        : " index=" + m.index());
                break;
            case MessageType.VOTE:
            case MessageType.PRE_VOTE:
                sb.append(" last=").append(m.index()).append('/').append(m.logTerm());
                if ((m.flags() & MessageLayout.FLAG_TRANSFER) != 0) {
                    sb.append(" transfer");
                }
                break;
            case MessageType.HEARTBEAT:
                sb.append(" commit=").append(m.commit()).append(" read=").append(m.context());
                break;
            case MessageType.HEARTBEAT_RESP:
                sb.append(" read=").append(m.context());
                break;
            case MessageType.SNAP:
                sb.append(" snap=").append(m.index()).append('/').append(m.logTerm()).append(" bytes=")
                        .append(m.hint()).append('+').append(m.count()).append('/').append(m.context())
                        .append((m.flags() & MessageLayout.FLAG_LAST_CHUNK) != 0 ? " last" : "")
                        .append(' ').append(m.snapshotConf());
                break;
            case MessageType.SNAP_RESP:
                sb.append(" snap=").append(m.index()).append(" received=").append(m.hint());
                break;
            case MessageType.TRANSFER_LEADER:
                sb.append(" to=").append(m.hint());
                break;
            case MessageType.READ_INDEX:
                sb.append(" ctx=").append(m.context());
                break;
            case MessageType.READ_INDEX_RESP:
                sb.append(" ctx=").append(m.context()).append(" index=").append(m.index());
                break;
            default:
                break;
        }
        if (reject && m.type() != MessageType.APP_RESP) {
            sb.append(" reject");
        }
        return sb.toString();
    }

    private static void appendEntries(StringBuilder sb, MessageDecoder m) {
        if (m.count() == 0) {
            return;
        }
        sb.append(" entries=[");
        EntryView v = new EntryView();
        int position = m.firstEntryPosition();
        for (int i = 0; i < m.count(); i++) {
            position = m.readEntry(position, m.index() + 1 + i, v);
            sb.append(i == 0 ? "" : " ").append(entry(v));
        }
        sb.append(']');
    }

    static String entry(EntryView v) {
        String body;
        if (v.type() == EntryType.CONF_CHANGE) {
            ConfChange c = new ConfChange();
            body = c.wrap(v.buffer(), v.offset(), v.length())
                    ? "conf(" + ConfChange.name(c.type()) + " " + c.member() + ")" : "conf(?)";
        } else {
            body = v.length() == 0 ? "noop" : "\"" + new String(v.copyData(), StandardCharsets.UTF_8) + "\"";
        }
        return v.index() + "/" + v.term() + " " + body;
    }
}
