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

    private static final Map<String, String> DNS = Map.of(
            "deploy.example.com", "203.0.113.10",
            "deployer.internal", "10.20.30.40",
            "metadata.internal", "169.254.169.254",
            "rebound.example.com", "127.0.0.1");

    private final HookUrlPolicy policy = new HookUrlPolicy(List.of("10.20.0.0/16", "builds.corp"), host -> {
        String address = DNS.getOrDefault(host, host.equals("builds.corp") ? "192.168.1.5" : null);
        if (address == null) {
            try {
                return new InetAddress[]{InetAddress.getByName(host)};
            } catch (UnknownHostException e) {
                throw e;
            }
        }
        return new InetAddress[]{InetAddress.getByName(address)};
    });

    @ParameterizedTest
    @CsvSource({
            "https://deploy.example.com/hooks/restart",
            "http://deploy.example.com:8080/x?y=1",
            "http://deployer.internal/hook",
            "http://10.20.99.1/hook",
            "https://builds.corp/restart"})
    void acceptsPublicHostsAndListedPrivateOnes(String url) {
        assertThat(policy.check(url).toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @CsvSource({
            "ftp://deploy.example.com/x, must use http or https",
            "file:///etc/passwd, must use http or https",
            "https://user:secret@deploy.example.com/x, must not carry credentials",
            "http://169.254.169.254/latest/meta-data, cloud metadata",
            "http://metadata.internal/x, cloud metadata",
            "http://[fd00:ec2::254]/x, cloud metadata",
            "http://127.0.0.1:9000/x, private address",
            "http://rebound.example.com/x, private address",
            "http://10.21.0.1/x, private address",
            "http://192.168.1.1/x, private address",
            "http://[::1]/x, private address",
            "http://[fd12:3456::1]/x, private address",
            "not a url, not a valid URL"})
    void refusesUnsafeUrlsSayingWhy(String url, String why) {
        assertThatThrownBy(() -> policy.check(url))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining(why);
    }

    @Test
    void cidrMatchingIsBitwise() {
        assertThat(HookUrlPolicy.inCidr(address("10.20.255.255"), "10.20.0.0/16")).isTrue();
        assertThat(HookUrlPolicy.inCidr(address("10.21.0.0"), "10.20.0.0/16")).isFalse();
        assertThat(HookUrlPolicy.inCidr(address("172.31.1.1"), "172.16.0.0/12")).isTrue();
        assertThat(HookUrlPolicy.inCidr(address("172.32.1.1"), "172.16.0.0/12")).isFalse();
        assertThat(HookUrlPolicy.inCidr(address("10.0.0.1"), "::/0")).isFalse();
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
