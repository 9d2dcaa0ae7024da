package dev.keel.node.gateway;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields etcd 3.4's rpc.proto has and jetcd-grpc 0.8.5's older copy lacks. Keel's services carry them as
 * unknown fields (by number); the gateway moves them between JSON and those unknown fields so they parse and
 * print as etcd's gateway does. A field the wire class already declares is left to the class.
 */
final class Etcd34Fields {
    /** How an extra field is written in protobuf and in JSON. */
    enum Kind { BOOL, INT64, UINT64 }

    /** One extra field: its number, its name in etcd's .proto (the JSON name), its kind. */
    record Extra(int number, String name, Kind kind) {
        /** @return protoc's lowerCamel JSON name, which jsonpb also accepts on input */
        String camelName() {
            StringBuilder b = new StringBuilder();
            boolean upper = false;
            for (char c : name.toCharArray()) {
                if (c == '_') {
                    upper = true;
                } else {
                    b.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            return b.toString();
        }
    }

    private static final Map<String, List<Extra>> DECLARED = Map.of(
            "etcdserverpb.WatchCreateRequest", List.of(new Extra(6, "prev_kv", Kind.BOOL),
                    new Extra(7, "watch_id", Kind.INT64), new Extra(8, "fragment", Kind.BOOL)),
            "etcdserverpb.WatchResponse", List.of(new Extra(7, "fragment", Kind.BOOL)),
            "etcdserverpb.StatusResponse", List.of(new Extra(7, "raftAppliedIndex", Kind.UINT64),
                    new Extra(9, "dbSizeInUse", Kind.INT64), new Extra(10, "isLearner", Kind.BOOL)));
    private static final Map<Descriptor, List<Extra>> EXTRAS = new ConcurrentHashMap<>();
    private static final Map<Descriptor, Boolean> REACHES = new ConcurrentHashMap<>();

    private Etcd34Fields() {
    }

    /** @return the extras of this message type that its wire class does not declare (often none) */
    static List<Extra> of(Descriptor d) {
        return EXTRAS.computeIfAbsent(d, t -> DECLARED.getOrDefault(t.getFullName(), List.<Extra>of()).stream()
                .filter(e -> t.findFieldByNumber(e.number()) == null).toList());
    }

    /** @return whether this type or a message nested in it has extras (only those bodies need the extra pass) */
    static boolean reachable(Descriptor d) {
        Boolean known = REACHES.get(d);
        if (known != null) {
            return known;
        }
        REACHES.put(d, false); // cuts recursive types
        boolean found = !of(d).isEmpty();
        for (FieldDescriptor f : d.getFields()) {
            if (!found && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                found = reachable(f.getMessageType());
            }
        }
        REACHES.put(d, found);
        return found;
    }
}
