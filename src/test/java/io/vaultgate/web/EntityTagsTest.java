package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntityTagsTest {

    @Test
    void ifNoneMatchUsesTheWeakComparison() {
        String tag = EntityTags.of("abc");

        assertThat(tag).isEqualTo("\"abc\"");
        assertThat(EntityTags.matches(List.of("\"abc\""), tag)).isTrue();
        assertThat(EntityTags.matches(List.of("W/\"abc\""), tag)).isTrue();
        assertThat(EntityTags.matches(List.of("\"x\", \"abc\""), tag)).isTrue();
        assertThat(EntityTags.matches(List.of("\"x\"", "\"abc\""), tag)).isTrue();
        assertThat(EntityTags.matches(List.of("*"), tag)).isTrue();
        assertThat(EntityTags.matches(List.of("\"abd\""), tag)).isFalse();
        assertThat(EntityTags.matches(List.of("abc"), tag)).isFalse();
        assertThat(EntityTags.matches(List.of(), tag)).isFalse();
    }
}
