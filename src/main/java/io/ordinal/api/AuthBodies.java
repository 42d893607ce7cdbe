package io.ordinal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordinal.security.Access;
import io.ordinal.security.Binding;
import io.ordinal.security.Permission;
import io.ordinal.security.Role;
import io.ordinal.security.TokenRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON of {@code /v1/auth/*}, both ways: request bodies checked strictly (an unknown member, a
 * mistyped or missing one, an access other than {@code read} or {@code readwrite} is a 400 that names
 * it, before anything is written), and the records as answered (never a token's secret or hash).
 */
final class AuthBodies {

    /** Role and binding names: what Kubernetes and etcd users name things with. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    static final int MAX_DESCRIPTION = 256;
    static final int MAX_SUBJECT = 1024;
    /** Ten years: beyond that, a token should not expire at all. */
    static final long MAX_TTL_SECONDS = 10L * 366 * 24 * 3600;
    static final int MAX_ROLES = 100;
    static final int MAX_PERMISSIONS = 1000;

    private AuthBodies() {
    }

    static String name(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("bad-name", "a " + what + " name is 1 to 128 letters, digits and . _ : @ -,"
                    + " starting with a letter or digit");
        }
        return name;
    }

    /** {@code {"permissions":[{"prefix","access"}]}} (a {@code name} member, if given, must be the path's). */
    static Role role(String name, byte[] body) {
        JsonNode json = JsonBodies.object(body, "{\"permissions\":[{\"prefix\":\"app/\",\"access\":\"read\"}]}");
        JsonBodies.only(json, "the role", Set.of("name", "permissions"));
        String named = JsonBodies.text(json, "name", "the role", false);
        if (named != null && !named.equals(name)) {
            throw JsonBodies.bad("the role's name '" + named + "' is not the one in the path, '" + name + "'");
        }
        JsonNode list = json.get("permissions");
        if (list == null || !list.isArray()) {
            throw JsonBodies.bad("the role needs 'permissions' (an array, possibly empty)");
        }
        if (list.size() > MAX_PERMISSIONS) {
            throw JsonBodies.bad("a role has at most " + MAX_PERMISSIONS + " permissions; got " + list.size());
        }
        List<Permission> permissions = new ArrayList<>();
        for (JsonNode p : list) {
            String where = "permissions[" + permissions.size() + "]";
            if (!p.isObject()) {
                throw JsonBodies.bad(where + " must be an object {\"prefix\",\"access\"}");
            }
            JsonBodies.only(p, where, Set.of("prefix", "access"));
            byte[] prefix = JsonBodies.key(p, "prefix", where, true);
            String access = JsonBodies.text(p, "access", where, true);
            if (!access.equals("read") && !access.equals("readwrite")) {
                throw JsonBodies.bad(where + ": 'access' must be read or readwrite; got '" + access + "'");
            }
            permissions.add(new Permission(new String(prefix, StandardCharsets.UTF_8), Access.of(access)));
        }
        return new Role(name, permissions);
    }

    /** The request to issue a token. */
    record TokenRequest(List<String> roles, String description, Long ttlSeconds) {
    }

    static TokenRequest token(byte[] body) {
        JsonNode json = JsonBodies.object(body, "{\"roles\":[...],\"description\":\"...\",\"ttlSeconds\":3600}");
        JsonBodies.only(json, "the token", Set.of("roles", "description", "ttlSeconds"));
        List<String> roles = roles(json, "the token");
        String description = JsonBodies.text(json, "description", "the token", false);
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw JsonBodies.bad("the token's description is at most " + MAX_DESCRIPTION + " characters");
        }
        Long ttl = json.hasNonNull("ttlSeconds")
                ? JsonBodies.number(json, "ttlSeconds", "the token", 1, MAX_TTL_SECONDS, null) : null;
        return new TokenRequest(roles, description, ttl);
    }

    /** {@code {"subject","roles"}}. */
    static Binding binding(String name, byte[] body) {
        JsonNode json = JsonBodies.object(body, "{\"subject\":\"system:serviceaccount:<ns>:<name>\",\"roles\":[...]}");
        JsonBodies.only(json, "the binding", Set.of("name", "subject", "roles"));
        String named = JsonBodies.text(json, "name", "the binding", false);
        if (named != null && !named.equals(name)) {
            throw JsonBodies.bad("the binding's name '" + named + "' is not the one in the path, '" + name + "'");
        }
        String subject = JsonBodies.text(json, "subject", "the binding", true);
        if (subject.isBlank() || subject.length() > MAX_SUBJECT) {
            throw JsonBodies.bad("the binding's subject is 1 to " + MAX_SUBJECT + " characters");
        }
        return new Binding(name, subject, roles(json, "the binding"));
    }

    private static List<String> roles(JsonNode json, String where) {
        JsonNode list = json.get("roles");
        if (list == null || !list.isArray()) {
            throw JsonBodies.bad(where + " needs 'roles' (an array of role names)");
        }
        if (list.size() > MAX_ROLES) {
            throw JsonBodies.bad(where + " names at most " + MAX_ROLES + " roles");
        }
        List<String> roles = new ArrayList<>();
        for (JsonNode r : list) {
            if (!r.isTextual()) {
                throw JsonBodies.bad(where + ": 'roles' must be an array of role names (strings)");
            }
            roles.add(name(r.textValue(), "role"));
        }
        return roles.stream().distinct().toList();
    }

    static Map<String, Object> json(Role role) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", role.name());
        m.put("permissions", permissions(role.permissions()));
        return m;
    }

    static List<Map<String, String>> permissions(List<Permission> permissions) {
        return permissions.stream().map(p -> Map.of("prefix", p.prefix(), "access", p.access().json())).toList();
    }

    /** A token as listed: never its secret, nor its hash. */
    static Map<String, Object> json(TokenRecord t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("roles", t.roles());
        m.put("description", t.description());
        m.put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        return m;
    }

    static Map<String, Object> json(Binding b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", b.name());
        m.put("subject", b.subject());
        m.put("roles", b.roles());
        return m;
    }
}
