package io.vaultgate.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.web.ApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HookUrlPolicyTest {

    private static final Map<String, List<String>> DNS = Map.of(
            "deploy.example.com", List.of("93.184.215.14"),
            "deployer.internal", List.of("10.20.30.40"),
            "builds.corp", List.of("192.168.1.5"),
            "metadata.internal", List.of("169.254.169.254"),
            "rebound.example.com", List.of("127.0.0.1"),
            "mixed.example.com", List.of("93.184.215.14", "127.0.0.1"),
            "mapped.example.com", List.of("::a9fe:a9fe"));

    private final HookUrlPolicy policy = new HookUrlPolicy(host -> {
        List<String> answers = DNS.get(host.toLowerCase(java.util.Locale.ROOT));
        if (answers == null) {
            if (Cidr.literal(host.replace("[", "").replace("]", "")).isEmpty()) {
                throw new UnknownHostException("no such host in this test");
            }
            return InetAddress.getAllByName(host);
        }
        InetAddress[] addresses = new InetAddress[answers.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = InetAddress.getByName(answers.get(i));
        }
        return addresses;
    });

    private final HookNetworks networks = HookNetworks.parse(List.of("10.20.0.0/16", "builds.corp"));

    @ParameterizedTest
    @CsvSource({
        "https://deploy.example.com/hooks/restart",
        "http://deploy.example.com:8080/x?y=1",
        "http://deployer.internal/hook",
        "http://10.20.99.1/hook",
        "https://builds.corp/restart",
        "https://BUILDS.corp/restart"
    })
    void acceptsPublicHostsAndTheProjectsListedPrivateOnes(String url) {
        assertThat(policy.check(url, networks, "shop").toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @CsvSource({
        "ftp://deploy.example.com/x, must use http or https",
        "file:///etc/passwd, must use http or https",
        "https://user:secret@deploy.example.com/x, must not carry credentials",
        "https://deploy.example.com/x#top, must not have a fragment",
        "http://169.254.169.254/latest/meta-data, a cloud metadata address",
        "http://metadata.internal/x, a cloud metadata address",
        "http://mapped.example.com/x, a cloud metadata address",
        "http://[fd00:ec2::254]/x, a cloud metadata address",
        "http://[::ffff:169.254.169.254]/x, a cloud metadata address",
        "http://169.254.10.1/x, a link-local address",
        "http://224.0.0.1/x, a multicast address",
        "http://127.0.0.1:9000/x, a loopback address",
        "http://rebound.example.com/x, a loopback address",
        "http://mixed.example.com/x, a loopback address",
        "http://10.21.0.1/x, a private (RFC 1918) address",
        "http://192.168.1.1/x, a private (RFC 1918) address",
        "http://[::1]/x, a loopback address",
        "http://[fd12:3456::1]/x, a unique-local IPv6 address",
        "http://nowhere.example/x, does not resolve",
        "not a url, not a valid URL"
    })
    void refusesUnsafeUrlsSayingWhyButNotWhichAddress(String url, String why) {
        assertThatThrownBy(() -> policy.check(url, networks, "shop"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining(why)
                .hasMessageNotContaining("10.21.0.1 ")
                .hasMessageNotContaining("127.0.0.1");
    }

    @Test
    void aRefusalAListMayLiftTellsHowToLiftIt() {
        assertThatThrownBy(() -> policy.check("http://192.168.1.1/x", networks, "shop"))
                .hasMessageContaining("project 'shop' does not allow")
                .hasMessageContaining("PUT /v1/projects/shop/hook-networks");
        assertThatThrownBy(() -> policy.check("http://169.254.169.254/x", networks, "shop"))
                .hasMessageContaining("which no hook may reach");
    }

    @Test
    void aSendConnectsOnlyToTheAddressesItsOneResolutionApproved() throws Exception {
        assertThat(policy.approvedAddresses("mixed.example.com", networks))
                .containsExactly(InetAddress.getByName("93.184.215.14"));
        assertThat(policy.approvedAddresses("builds.corp", networks))
                .containsExactly(InetAddress.getByName("192.168.1.5"));
    }

    @Test
    void aSendWhoseHostResolvesOnlyToRefusedAddressesIsRefusedWithoutNamingThem() {
        assertThatThrownBy(() -> policy.approvedAddresses("rebound.example.com", networks))
                .isInstanceOf(HookUrlPolicy.AddressRefusedException.class)
                .hasMessageContaining("a loopback address")
                .hasMessageNotContaining("127.0.0.1");
        assertThatThrownBy(() -> policy.approvedAddresses("builds.corp", HookNetworks.NONE))
                .isInstanceOf(HookUrlPolicy.AddressRefusedException.class);
        assertThatThrownBy(() -> policy.approvedAddresses("nowhere.example", networks))
                .isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(HookUrlPolicy.AddressRefusedException.class);
    }

    @Test
    void aListedNetworkNeverOpensMetadataOrLinkLocalEvenForAListedHost() {
        HookNetworks everything = HookNetworks.parse(List.of("metadata.internal", "10.0.0.0/8"));

        assertThatThrownBy(() -> policy.approvedAddresses("metadata.internal", everything))
                .isInstanceOf(HookUrlPolicy.AddressRefusedException.class);
    }
}
