package dev.keel.node.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * etcd 3.4's gateway paths (the {@code google.api.http} annotations of its rpc.proto, v3lock.proto and
 * v3election.proto) and the gRPC method each one calls. etcd 3.4 serves them under {@code /v3/} and
 * {@code /v3beta/} (not {@code /v3alpha/}). Hash and HashKV share {@code /v3/maintenance/hash} in etcd 3.4's
 * rpc.proto and the path answers Hash there; {@code /v3/maintenance/hashkv} does not exist.
 */
final class GatewayRoutes {
    private static final String[] PREFIXES = {"/v3/", "/v3beta/"};
    private static final String[][] ROUTES = {
            {"kv/range", "etcdserverpb.KV/Range"},
            {"kv/put", "etcdserverpb.KV/Put"},
            {"kv/deleterange", "etcdserverpb.KV/DeleteRange"},
            {"kv/txn", "etcdserverpb.KV/Txn"},
            {"kv/compaction", "etcdserverpb.KV/Compact"},
            {"watch", "etcdserverpb.Watch/Watch"},
            {"lease/grant", "etcdserverpb.Lease/LeaseGrant"},
            {"lease/revoke", "etcdserverpb.Lease/LeaseRevoke"},
            {"kv/lease/revoke", "etcdserverpb.Lease/LeaseRevoke"},
            {"lease/keepalive", "etcdserverpb.Lease/LeaseKeepAlive"},
            {"lease/timetolive", "etcdserverpb.Lease/LeaseTimeToLive"},
            {"kv/lease/timetolive", "etcdserverpb.Lease/LeaseTimeToLive"},
            {"lease/leases", "etcdserverpb.Lease/LeaseLeases"},
            {"kv/lease/leases", "etcdserverpb.Lease/LeaseLeases"},
            {"cluster/member/add", "etcdserverpb.Cluster/MemberAdd"},
            {"cluster/member/remove", "etcdserverpb.Cluster/MemberRemove"},
            {"cluster/member/update", "etcdserverpb.Cluster/MemberUpdate"},
            {"cluster/member/list", "etcdserverpb.Cluster/MemberList"},
            {"cluster/member/promote", "etcdserverpb.Cluster/MemberPromote"},
            {"maintenance/alarm", "etcdserverpb.Maintenance/Alarm"},
            {"maintenance/status", "etcdserverpb.Maintenance/Status"},
            {"maintenance/defragment", "etcdserverpb.Maintenance/Defragment"},
            {"maintenance/hash", "etcdserverpb.Maintenance/Hash"},
            {"maintenance/snapshot", "etcdserverpb.Maintenance/Snapshot"},
            {"maintenance/transfer-leadership", "etcdserverpb.Maintenance/MoveLeader"},
            {"auth/enable", "etcdserverpb.Auth/AuthEnable"},
            {"auth/disable", "etcdserverpb.Auth/AuthDisable"},
            {"auth/authenticate", "etcdserverpb.Auth/Authenticate"},
            {"auth/user/add", "etcdserverpb.Auth/UserAdd"},
            {"auth/user/get", "etcdserverpb.Auth/UserGet"},
            {"auth/user/list", "etcdserverpb.Auth/UserList"},
            {"auth/user/delete", "etcdserverpb.Auth/UserDelete"},
            {"auth/user/changepw", "etcdserverpb.Auth/UserChangePassword"},
            {"auth/user/grant", "etcdserverpb.Auth/UserGrantRole"},
            {"auth/user/revoke", "etcdserverpb.Auth/UserRevokeRole"},
            {"auth/role/add", "etcdserverpb.Auth/RoleAdd"},
            {"auth/role/get", "etcdserverpb.Auth/RoleGet"},
            {"auth/role/list", "etcdserverpb.Auth/RoleList"},
            {"auth/role/delete", "etcdserverpb.Auth/RoleDelete"},
            {"auth/role/grant", "etcdserverpb.Auth/RoleGrantPermission"},
            {"auth/role/revoke", "etcdserverpb.Auth/RoleRevokePermission"},
            {"lock/lock", "v3lockpb.Lock/Lock"},
            {"lock/unlock", "v3lockpb.Lock/Unlock"},
            {"election/campaign", "v3electionpb.Election/Campaign"},
            {"election/proclaim", "v3electionpb.Election/Proclaim"},
            {"election/leader", "v3electionpb.Election/Leader"},
            {"election/observe", "v3electionpb.Election/Observe"},
            {"election/resign", "v3electionpb.Election/Resign"},
    };
    private static final Map<String, String> BY_PATH = new HashMap<>();

    static {
        for (String prefix : PREFIXES) {
            for (String[] r : ROUTES) {
                BY_PATH.put(prefix + r[0], r[1]);
            }
        }
    }

    private GatewayRoutes() {
    }

    /** @return the full gRPC method name ({@code service/method}) a path calls, or null for no such path */
    static String method(String path) {
        return BY_PATH.get(path);
    }

    /** @return the path prefixes the gateway serves, each ending in '/' */
    static String[] prefixes() {
        return PREFIXES.clone();
    }
}
