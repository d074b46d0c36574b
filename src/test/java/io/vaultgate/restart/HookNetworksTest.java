package io.vaultgate.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HookNetworksTest {

    @Test
    void readsNetworksAddressesAndHostNamesInTheirCanonicalForm() {
        HookNetworks networks = HookNetworks.parse(
                List.of(" 10.0.0.0/8 ", "Deploy.Internal.", "10.1.2.3", "FD12:3456:0::/48", "::1", "deploy.internal"));

        assertThat(networks.entries())
                .containsExactly("10.0.0.0/8", "deploy.internal", "10.1.2.3/32", "fd12:3456::/48", "::1/128");
        assertThat(HookNetworks.parse(networks.entries())).isEqualTo(networks);
    }

    @Test
    void aHostEntryOpensItsHostAndANetworkEntryItsAddresses() throws Exception {
        HookNetworks networks = HookNetworks.parse(List.of("deploy.internal", "10.20.0.0/16"));

        assertThat(networks.allows("DEPLOY.internal.", InetAddress.getByName("192.168.9.9")))
                .isTrue();
        assertThat(networks.allows("other.internal", InetAddress.getByName("10.20.1.1")))
                .isTrue();
        assertThat(networks.allows("other.internal", InetAddress.getByName("10.21.1.1")))
                .isFalse();
        assertThat(HookNetworks.NONE.allows("deploy.internal", InetAddress.getByName("10.20.1.1")))
                .isFalse();
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "169.254.169.254      | covers a cloud metadata address",
                "169.254.0.0/16       | covers a cloud metadata address",
                "0.0.0.0/0            | covers a cloud metadata address",
                "fe80::/10            | covers a link-local address",
                "::ffff:0:0/96        | covers IPv6 forms of IPv4 addresses",
                "10.1.2.3/8           | bits set after its prefix length",
                "10.0.0.0/33          | is not a network",
                "deploy.internal/24   | is not a network",
                "not a host           | neither a network",
                "999.1.1.1            | neither a network",
                "-deploy.internal     | neither a network",
                "fe80::1%eth0         | neither a network",
                "''                   | neither a network"
            })
    void refusesEntriesThatAreNotNetworksOrWouldOpenWhatIsNeverReached(String entry, String why) {
        assertThatThrownBy(() -> HookNetworks.parse(List.of("10.0.0.0/8", entry)))
                .isInstanceOfSatisfying(ApiException.class, refused -> {
                    assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_HOOK_NETWORK);
                    assertThat(refused.field()).isEqualTo("allowedPrivate[1]");
                })
                .hasMessageContaining(why);
    }

    @Test
    void refusesANullEntryAndTooManyEntries() {
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> HookNetworks.parse(withNull)).hasMessageContaining("allowedPrivate[0]");
        assertThatThrownBy(() -> HookNetworks.parse(Collections.nCopies(HookNetworks.MAX_ENTRIES + 1, "10.0.0.0/8")))
                .hasMessageContaining("at most " + HookNetworks.MAX_ENTRIES);
    }
}
