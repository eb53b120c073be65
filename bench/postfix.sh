#!/usr/bin/env bash
# Starts a private Postfix instance on loopback for side-by-side benchmarks, with local delivery
# to a Maildir and STARTTLS on the dev PKI's server certificate. Prints nothing but errors.
#   postfix.sh start DIR PORT CERT KEY     postfix.sh stop DIR
set -euo pipefail
cmd="$1"; dir="$2"
case "$cmd" in
start)
  port="$3"; cert="$4"; key="$5"
  command -v postfix >/dev/null || { echo "postfix is not installed: apt-get install postfix" >&2; exit 1; }
  id pfbench >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin pfbench
  trap 'echo "postfix.sh: setting up Postfix in $dir failed (see $dir/maillog)" >&2' ERR
  mkdir -p "$dir/etc" "$dir/spool" "$dir/lib"
  # Postfix's daemons run as the postfix user: it must reach its folders (mktemp makes 0700 ones).
  chmod 755 "$dir" "$(dirname "$dir")"
  cp /etc/postfix/master.cf "$dir/etc/master.cf"
  : > "$dir/etc/main.cf"   # compiled-in defaults, then only what differs
  # Only our smtpd listens, on the bench port, without chroot.
  sed -i -E 's/^(smtp[[:space:]]+inet.*)$/#\1/' "$dir/etc/master.cf"
  echo "127.0.0.1:$port inet n - n - - smtpd" >> "$dir/etc/master.cf"
  postconf -c "$dir/etc" -e \
    "queue_directory=$dir/spool" "data_directory=$dir/lib" \
    "myhostname=mx.bench.example" "mydomain=bench.example" "mydestination=bench.example" \
    "inet_interfaces=127.0.0.1" "inet_protocols=ipv4" "mynetworks=127.0.0.0/8" \
    "home_mailbox=Maildir/" "alias_maps=" "alias_database=" "local_recipient_maps=" \
    "smtpd_tls_cert_file=$cert" "smtpd_tls_key_file=$key" "smtpd_tls_security_level=may" \
    "smtpd_relay_restrictions=permit_mynetworks,reject" "compatibility_level=3.6" \
    "default_process_limit=100" "smtpd_client_connection_count_limit=0" \
    "smtpd_client_message_rate_limit=0" "smtpd_client_connection_rate_limit=0" \
    "maillog_file=$dir/maillog" "maillog_file_prefixes=$dir" "master_service_disable=" \
    "multi_instance_enable=no"
  postconf -e "alternate_config_directories=$dir/etc" >/dev/null
  chown -R root "$dir/etc" "$dir/spool"
  chown postfix "$dir/lib"
  postfix -c "$dir/etc" check
  postfix -c "$dir/etc" start >/dev/null 2>&1
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && exit 0; sleep 0.1; done
  echo "postfix did not start on port $port (see $dir/maillog)" >&2; exit 1 ;;
stop)
  postfix -c "$dir/etc" stop >/dev/null 2>&1 || true ;;
esac
