#!/usr/bin/env bash
# Makes a private CA and one server certificate per NAME, for loopback clusters and containers:
#   scripts/tls-certs.sh OUT_DIR NAME...
# writes OUT_DIR/ca.crt (and ca.key), and OUT_DIR/NAME.crt + OUT_DIR/NAME.key for every NAME, each
# valid for IP:127.0.0.1, DNS:localhost and DNS:NAME (so the same certificate serves on loopback
# and as a container's host name). Keys are written owner-only. An existing CA is reused, so
# running it again for a new NAME adds a certificate the others already trust; an existing NAME
# is left as it is. Needs openssl.
set -euo pipefail

usage() {
  echo "usage: $0 OUT_DIR NAME..." >&2
  exit 2
}
[ $# -ge 2 ] || usage
out=$1
shift
command -v openssl >/dev/null || { echo "tls-certs: openssl is not installed" >&2; exit 1; }
for name in "$@"; do
  [[ "$name" =~ ^[a-z0-9][a-z0-9.-]*$ ]] || { echo "tls-certs: '$name' is not a host name (a-z, 0-9, '.', '-')" >&2; exit 2; }
done

umask 077
mkdir -p "$out"
days=${TLS_CERT_DAYS:-825}

if [ ! -s "$out/ca.crt" ] || [ ! -s "$out/ca.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
    -keyout "$out/ca.key" -out "$out/ca.crt" -subj "/CN=vaultgate loopback CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  chmod 644 "$out/ca.crt"
  echo "tls-certs: made CA $out/ca.crt"
fi

for name in "$@"; do
  [ -s "$out/$name.crt" ] && [ -s "$out/$name.key" ] && continue
  ext=$(mktemp)
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:$name" > "$ext"
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$out/$name.key" -out "$out/$name.csr" \
    -subj "/CN=$name" 2>/dev/null
  openssl x509 -req -in "$out/$name.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$ext" -out "$out/$name.crt" 2>/dev/null
  rm -f "$out/$name.csr" "$ext"
  chmod 644 "$out/$name.crt"
  echo "tls-certs: made $out/$name.crt (SAN IP:127.0.0.1, DNS:localhost, DNS:$name)"
done
