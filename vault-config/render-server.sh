#!/bin/sh
# Prints vault-config/server.hcl filled in for one node of a cluster:
#   render-server.sh NODE_ID API_HOST API_PORT CLUSTER_PORT DATA_DIR TLS_DIR CERT_NAME AUDIT_FILE [PEER_API_ADDR...]
# TLS_DIR holds ca.crt, CERT_NAME.crt and CERT_NAME.key (scripts/tls-certs.sh makes them). Each
# PEER_API_ADDR (https://host:port, this node's own may be among them) becomes a retry_join,
# trusted through TLS_DIR/ca.crt. POSIX sh, like apply.sh.
set -eu

[ $# -ge 8 ] || { echo "usage: $0 NODE_ID API_HOST API_PORT CLUSTER_PORT DATA_DIR TLS_DIR CERT_NAME AUDIT_FILE [PEER_API_ADDR...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
node_id=$1 host=$2 api_port=$3 cluster_port=$4 data_dir=$5 tls_dir=$6 cert=$7 audit_file=$8
shift 8

for value in "$node_id" "$host" "$api_port" "$cluster_port" "$data_dir" "$tls_dir" "$cert" "$audit_file" "$@"; do
  case "$value" in
    *'"'* | *'|'* | *'\'*) echo "render-server: '$value' holds a quote, '|' or '\\'" >&2; exit 2 ;;
  esac
done

joins=""
for peer in "$@"; do
  [ "$peer" = "https://$host:$api_port" ] && continue
  joins="${joins}  retry_join {\\
    leader_api_addr     = \"$peer\"\\
    leader_ca_cert_file = \"$tls_dir/ca.crt\"\\
  }\\
"
done

sed -e "s|{{api_addr}}|https://$host:$api_port|" \
    -e "s|{{cluster_addr}}|https://$host:$cluster_port|" \
    -e "s|{{data_dir}}|$data_dir|" \
    -e "s|{{node_id}}|$node_id|" \
    -e "s|{{listen_address}}|$host:$api_port|" \
    -e "s|{{cluster_listen_address}}|$host:$cluster_port|" \
    -e "s|{{tls_cert_file}}|$tls_dir/$cert.crt|" \
    -e "s|{{tls_key_file}}|$tls_dir/$cert.key|" \
    -e "s|{{audit_file}}|$audit_file|" \
    -e "s|^  # {{retry_join}}\$|$joins|" \
    "$here/server.hcl"
