package io.ordinal.client;

import io.ordinal.command.ResultFormat;
import io.ordinal.command.WriteResult;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvClientRepliesTest {

    /**
     * A replica that applied an entry before (replayed, or inside an installed snapshot) answers a retry
     * of its call with nothing: the outcome is unknown, which the API says with a 503, not a 500.
     */
    @Test
    void anEmptyAnswerToAWriteIsAnUnknownOutcome() {
        assertThatThrownBy(() -> KvClient.notEmpty(ByteBuffer.allocate(0)))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("committed");
    }

    @Test
    void aWritesOwnAnswerPassesThrough() {
        ByteBuffer answer = ByteBuffer.wrap(ResultFormat.encode(new WriteResult(WriteResult.Outcome.CREATED, 7, 0)));
        assertThat(KvClient.notEmpty(answer)).isSameAs(answer);
        assertThat(ResultFormat.decodeWriteResult(answer).revision()).isEqualTo(7);
    }
}
