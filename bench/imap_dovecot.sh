#!/usr/bin/env bash
# Starts a private Dovecot (the distribution's) on loopback for side-by-side IMAP benchmarks:
# implicit TLS on the dev PKI's server certificate, LOGIN/PLAIN against a passwd-file, sdbox
# mailboxes owned by the dvbench user, every write fsynced. Prints nothing but errors.
#   imap_dovecot.sh start DIR PORT CERT KEY USERS PASSWORD     imap_dovecot.sh stop DIR
set -euo pipefail
cmd="$1"; dir="$2"
case "$cmd" in
start)
  port="$3"; cert="$4"; key="$5"; users="$6"; password="$7"
  if ! command -v dovecot >/dev/null; then
    apt-get install -y dovecot-imapd >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y dovecot-imapd >/dev/null; }
  fi
  id dvbench >/dev/null 2>&1 || useradd -r --shell /usr/sbin/nologin dvbench
  trap 'echo "imap_dovecot.sh: setting up Dovecot in $dir failed (see $dir/dovecot.log)" >&2' ERR
  mkdir -p "$dir/run" "$dir/state" "$dir/home"
  # The mail processes run as dvbench, the login ones as dovenull: they must reach their folders.
  chmod 755 "$dir" "$(dirname "$dir")"
  chown dvbench: "$dir/home"
  while read -r u; do [ -n "$u" ] && echo "$u:{PLAIN}$password"; done < "$users" > "$dir/passwd"
  chmod 644 "$dir/passwd"
  cp "$cert" "$dir/cert.pem"; cp "$key" "$dir/key.pem"; chmod 600 "$dir/key.pem"
  dh=""; [ -f /usr/share/dovecot/dh.pem ] && dh="ssl_dh = </usr/share/dovecot/dh.pem"
  cat > "$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
ssl = required
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
$dh
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dir/passwd
}
userdb {
  driver = static
  args = uid=dvbench gid=dvbench home=$dir/home/%u
}
mail_location = sdbox:~/mail
mail_fsync = always
mail_max_userip_connections = 2000
default_process_limit = 1200
default_client_limit = 4000
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = $port
  }
}
CONF
  dovecot -c "$dir/dovecot.conf" -n >/dev/null
  dovecot -F -c "$dir/dovecot.conf" >>"$dir/dovecot.stdout" 2>&1 &
  echo $! > "$dir/dovecot.pid"
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && exit 0; sleep 0.1; done
  echo "dovecot did not start on port $port (see $dir/dovecot.log)" >&2; exit 1 ;;
stop)
  if [ -f "$dir/dovecot.pid" ]; then
    kill "$(cat "$dir/dovecot.pid")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$dir/dovecot.pid")" 2>/dev/null || break; sleep 0.1; done
  fi ;;
esac
