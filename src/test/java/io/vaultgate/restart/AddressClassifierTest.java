package io.vaultgate.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.restart.AddressClass.Reach;
import io.vaultgate.restart.AddressClassifier.Classified;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassifierTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        // IPv4
        "8.8.8.8,                 PUBLIC",
        "93.184.215.14,           PUBLIC",
        "11.0.0.1,                PUBLIC",
        "127.0.0.1,               LOOPBACK",
        "127.255.255.254,         LOOPBACK",
        "10.0.0.1,                PRIVATE",
        "10.255.255.255,          PRIVATE",
        "172.16.0.1,              PRIVATE",
        "172.31.255.255,          PRIVATE",
        "172.32.0.1,              PUBLIC",
        "192.168.1.1,             PRIVATE",
        "100.64.0.1,              SHARED",
        "100.127.255.255,         SHARED",
        "100.128.0.1,             PUBLIC",
        "169.254.169.254,         METADATA",
        "100.100.100.200,         METADATA",
        "169.254.0.1,             LINK_LOCAL",
        "169.254.170.2,           LINK_LOCAL",
        "224.0.0.1,               MULTICAST",
        "239.255.255.255,         MULTICAST",
        "255.255.255.255,         BROADCAST",
        "0.0.0.0,                 UNSPECIFIED",
        "0.1.2.3,                 UNSPECIFIED",
        "240.0.0.1,               RESERVED",
        "255.255.255.254,         RESERVED",
        "192.88.99.1,             RESERVED",
        "192.0.2.1,               DOCUMENTATION",
        "198.51.100.1,            DOCUMENTATION",
        "203.0.113.10,            DOCUMENTATION",
        "198.18.0.1,              BENCHMARK",
        "198.19.255.255,          BENCHMARK",
        "192.0.0.8,               PROTOCOL_ASSIGNMENT",
        // IPv6
        "2606:4700::1111,         PUBLIC",
        "::,                      UNSPECIFIED",
        "::1,                     LOOPBACK",
        "fd00:ec2::254,           METADATA",
        "fd00:ec2::23,            METADATA",
        "fd12:3456::1,            UNIQUE_LOCAL",
        "fc00::1,                 UNIQUE_LOCAL",
        "fe80::1,                 LINK_LOCAL",
        "febf::1,                 LINK_LOCAL",
        "fec0::1,                 SITE_LOCAL",
        "ff02::1,                 MULTICAST",
        "100::1,                  DISCARD",
        "2001::1,                 TEREDO",
        "2001:0:4136:e378::1,     TEREDO",
        "2001:2::1,               BENCHMARK",
        "2001:1::1,               PROTOCOL_ASSIGNMENT",
        "2001:db8::1,             DOCUMENTATION",
        "3fff::1,                 DOCUMENTATION",
        "4000::1,                 RESERVED",
        "1::1,                    RESERVED",
        "64:ff9b:1:2::1,          RESERVED"
    })
    void classifiesEveryRange(String address, AddressClass expected) throws Exception {
        Classified classified = AddressClassifier.classify(InetAddress.getByName(address));

        assertThat(classified.kind()).isEqualTo(expected);
        assertThat(classified.reached()).isEqualTo(InetAddress.getByName(address));
    }

    @ParameterizedTest(name = "{0} reaches {1}, {2}")
    @CsvSource({
        "::ffff:127.0.0.1,        127.0.0.1,       LOOPBACK",
        "::ffff:169.254.169.254,  169.254.169.254, METADATA",
        "::ffff:8.8.8.8,          8.8.8.8,         PUBLIC",
        "::ffff:0:a00:1,          10.0.0.1,        PRIVATE",
        "::a9fe:a9fe,             169.254.169.254, METADATA",
        "::7f00:1,                127.0.0.1,       LOOPBACK",
        "::808:808,               8.8.8.8,         PUBLIC",
        "64:ff9b::a9fe:a9fe,      169.254.169.254, METADATA",
        "64:ff9b::c0a8:101,       192.168.1.1,     PRIVATE",
        "64:ff9b::808:808,        8.8.8.8,         PUBLIC",
        "64:ff9b:1::7f00:1,       127.0.0.1,       LOOPBACK",
        "2002:7f00:1::1,          127.0.0.1,       LOOPBACK",
        "2002:a9fe:a9fe::1,       169.254.169.254, METADATA",
        "2002:808:808::1,         8.8.8.8,         PUBLIC",
        "2002:e000:1::1,          224.0.0.1,       MULTICAST"
    })
    void judgesIpv6FormsOfIpv4AddressesByTheAddressInside(String address, String reached, AddressClass expected)
            throws Exception {
        Classified classified = AddressClassifier.classify(ipv6(address));

        assertThat(classified.kind()).isEqualTo(expected);
        assertThat(classified.reached()).isEqualTo(InetAddress.getByName(reached));
    }

    @Test
    void anIpv4MappedAddressKeptAsIpv6IsStillJudgedByItsIpv4Address() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}, 0, mapped, 12, 4);

        Classified classified = AddressClassifier.classify(Inet6Address.getByAddress(null, mapped, -1));

        assertThat(classified.kind()).isEqualTo(AddressClass.METADATA);
    }

    @Test
    void listsMayOpenPrivateNetworksAndLoopbackButNeverMetadataOrTheOtherSpecialRanges() {
        assertThat(Arrays.stream(AddressClass.values()).filter(kind -> kind.reach() == Reach.WHEN_LISTED))
                .containsExactlyInAnyOrder(
                        AddressClass.LOOPBACK, AddressClass.PRIVATE, AddressClass.UNIQUE_LOCAL, AddressClass.SHARED);
        assertThat(Arrays.stream(AddressClass.values()).filter(kind -> kind.reach() == Reach.ALWAYS))
                .containsExactly(AddressClass.PUBLIC);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "127.0.0.1/32",
        "100.64.0.0/11",
        "8.8.8.0/24",
        "::1/128",
        "fd12:3456::/48",
        "fc00::/8",
        "2606:4700::/32"
    })
    void aListMayHoldNetworksOfOpenableOrPublicAddresses(String network) {
        assertThat(AddressClassifier.neverOpenedBy(Cidr.parse(network).orElseThrow()))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} covers {1}")
    @CsvSource({
        "0.0.0.0/0,            cloud metadata",
        "169.254.0.0/16,       cloud metadata",
        "169.254.169.254/32,   cloud metadata",
        "169.254.170.0/24,     link-local",
        "100.64.0.0/10,        cloud metadata",
        "224.0.0.0/4,          multicast",
        "255.255.255.255/32,   broadcast",
        "240.0.0.0/4,          broadcast",
        "240.0.0.0/8,          reserved",
        "192.0.2.0/24,         documentation",
        "198.18.0.0/15,        benchmarking",
        "192.0.0.0/24,         IETF protocol",
        "0.0.0.0/4,            unspecified",
        "::/0,                 unspecified",
        "::/127,               unspecified",
        "::ffff:0:0/96,        IPv6 forms of IPv4",
        "::/96,                unspecified",
        "::1:0:0/96,           reserved",
        "64:ff9b::/96,         IPv6 forms of IPv4",
        "2002::/16,            IPv6 forms of IPv4",
        "2001::/32,            Teredo",
        "2001:db8::/32,        documentation",
        "2000::/3,             IPv6 forms of IPv4",
        "fc00::/7,             cloud metadata",
        "fd00:ec2::/32,        cloud metadata",
        "fe80::/10,            link-local",
        "fec0::/10,            site-local",
        "ff00::/8,             multicast",
        "100::/64,             discard",
        "4000::/2,             reserved"
    })
    void aListMayNotHoldANetworkCoveringWhatIsNeverReached(String network, String covered) {
        assertThat(AddressClassifier.neverOpenedBy(Cidr.parse(network).orElseThrow()))
                .hasValueSatisfying(why -> assertThat(why).contains(covered));
    }

    @Test
    void networksAreComparedBitByBit() {
        Cidr sixteen = Cidr.parse("10.20.0.0/16").orElseThrow();
        assertThat(sixteen.contains(bytes("10.20.255.255"))).isTrue();
        assertThat(sixteen.contains(bytes("10.21.0.0"))).isFalse();
        assertThat(Cidr.parse("172.16.0.0/12").orElseThrow().contains(bytes("172.31.1.1")))
                .isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").orElseThrow().contains(bytes("172.32.1.1")))
                .isFalse();
        assertThat(Cidr.parse("::/0").orElseThrow().contains(bytes("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("10.1.2.3/8").orElseThrow().hasHostBits()).isTrue();
        assertThat(Cidr.parse("fd12:3456:0:0:0:0:0:0/48").orElseThrow()).hasToString("fd12:3456::/48");
        assertThat(Cidr.parse("0:0:0:0:0:ffff:0:0/96").orElseThrow()).hasToString("::ffff:0:0/96");
        assertThat(Cidr.parse("deploy.internal/8")).isEmpty();
        assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
        assertThat(Cidr.parse("10.0.0.0/-1")).isEmpty();
    }

    private static byte[] bytes(String literal) {
        return Cidr.literal(literal).orElseThrow();
    }

    /** The address as IPv6 even when the JDK would hand back an IPv4 one for a mapped form. */
    private static InetAddress ipv6(String literal) throws Exception {
        return Inet6Address.getByAddress(null, Cidr.literal(literal).orElseThrow(), -1);
    }
}
