package io.ordinal.security;

import io.ordinal.command.Command;
import io.ordinal.command.TxnOp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Grants on prefixes: what each covers. */
class AuthorizerTest {

    private static final Principal APP_READER = new Principal("token:x", List.of("r"),
            List.of(new Permission("app/", Access.READ)));

    @Test
    void aGrantCoversEveryKeyAndPrefixUnderIt() {
        assertThatCode(() -> Authorizer.key(APP_READER, Access.READ, b("app/x"))).doesNotThrowAnyException();
        assertThatCode(() -> Authorizer.prefix(APP_READER, Access.READ, b("app/x/"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Authorizer.prefix(APP_READER, Access.READ, b("ap"))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> Authorizer.prefix(APP_READER, Access.READ, b(""))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> Authorizer.key(APP_READER, Access.READWRITE, b("app/x")))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("readwrite");
    }

    @Test
    void rootMayDoEverythingAndNobodyElseMayDoWhatOnlyRootMay() {
        assertThatCode(() -> Authorizer.prefix(Principal.ROOT, Access.READWRITE, b(""))).doesNotThrowAnyException();
        assertThatCode(() -> Authorizer.root(Principal.ROOT, "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Authorizer.root(APP_READER, "transfer leadership")).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void aTransactionNeedsEveryOneOfItsKeysInBothBranches() {
        Command.Txn txn = new Command.Txn(List.of(), List.of(new TxnOp.Get(b("app/a"))),
                List.of(new TxnOp.Put(b("app/b"), b("v"), 0)));
        assertThatThrownBy(() -> Authorizer.txn(APP_READER, txn)).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("app/b");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
