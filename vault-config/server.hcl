# The OpenBao (or Vault) server configuration Vaultgate runs on: one node of a Raft cluster.
# A template: vault-config/render-server.sh fills in the {{...}} fields for one node, and
# scripts/cluster.sh runs exactly what it renders. Why each line is here: vault-config/README.md.

ui            = false
disable_mlock = true  # integrated storage: mlock would pin the Raft database's mmap in RAM
api_addr      = "{{api_addr}}"
cluster_addr  = "{{cluster_addr}}"

# A standby answers reads from its own copy, which can lag the leader; Vaultgate reads the
# version it has just written (check-and-set, boot fetch fallbacks), so every read goes to the
# active node.
disable_standby_reads = true

storage "raft" {
  path    = "{{data_dir}}"
  node_id = "{{node_id}}"
  # Raft timing for low-latency networks: a new leader in ~2 s after a crash, not ~11 s.
  performance_multiplier = 1
  # {{retry_join}}
}

listener "tcp" {
  address         = "{{listen_address}}"
  cluster_address = "{{cluster_listen_address}}"
  tls_cert_file   = "{{tls_cert_file}}"
  tls_key_file    = "{{tls_key_file}}"
  tls_min_version = "tls12"

  # Vaultgate writes at most vaultgate.vault.keys-per-write (490) keys per KV request: two JSON
  # strings a key plus ~10, so 990. This is the listeners' default, written out because the
  # gateway's keys-per-write is derived from it (and a standby forwarding a write applies the
  # default whatever is set here, so raising it would not hold).
  max_request_json_strings = 1000
  # The largest body Vaultgate sends: one scope of at most 1 MiB (vaultgate.limits.scope-bytes),
  # every byte JSON-escaped at worst (6x). The default is 32 MiB.
  max_request_size = 8388608
}

# Every request and answer, secrets and tokens HMAC-ed (log_raw stays false). OpenBao 2.x
# declares audit devices here, not through the API.
audit "file" "file" {
  description = "vaultgate audit log"
  options {
    file_path = "{{audit_file}}"
    mode      = "0600"
  }
}
