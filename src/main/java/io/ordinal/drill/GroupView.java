package io.ordinal.drill;

import java.util.List;

/**
 * The group as the API answers {@code GET /v1/cluster}: the leader's name (null during an election)
 * and each member's role there.
 */
public record GroupView(String leader, List<Member> members) {

    public record Member(String id, String role) {
    }

    /** The members that answer as followers. */
    public List<String> followers() {
        return members.stream().filter(m -> "FOLLOWER".equals(m.role())).map(Member::id).toList();
    }
}
