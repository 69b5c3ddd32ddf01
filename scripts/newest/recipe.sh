# shellcheck shell=bash
# The recipe of the Debian sid root that runs the newest Home Assistant: sourced by
# scripts/test-newest, which hashes this file together with the host settings it reads (Debian
# mirror, apt proxy, added CA certificates, package index settings) and rebuilds the root when
# the hash changes. Python 3.14 (2026.10 needs 3.14.2 or later) is only in Debian's sid.

SID_PACKAGES=(python3.14 python3.14-venv ca-certificates iproute2)
# uv for the harness venv (lives in /opt/uv, like .tools/uv on the host). Any recent uv will do.
SID_UV_VERSION=0.13.9

# recipe_inputs: everything of the host the root is built from, for the stamp.
recipe_inputs() {
  echo "mirror=$DEBIAN_MIRROR"
  echo "apt_http_proxy=$APT_HTTP_PROXY apt_https_proxy=$APT_HTTPS_PROXY"
  printf '%s\n' "${INDEX_ENV[@]}"
  if [ -d /usr/local/share/ca-certificates ]; then
    find /usr/local/share/ca-certificates -name '*.crt' -type f -print0 | sort -z | xargs -0r sha256sum
  fi
}

# build_root TARGET: debootstrap sid into TARGET (a new folder) and set it up.
build_root() {
  local target=$1
  echo "test-newest: building the Debian sid root in $target (from $DEBIAN_MIRROR)"
  # In a namespace of its own, so that the /proc and /sys it mounts in TARGET never outlive it;
  # its output goes to a log (by sh inside, so that test-newest's own messages still show).
  # It fetches with wget, which reads the proxy from the environment.
  # shellcheck disable=SC2016  # expanded by that sh
  http_proxy=${http_proxy:-$APT_HTTP_PROXY} https_proxy=${https_proxy:-$APT_HTTPS_PROXY} \
    in_namespace /bin/sh -c 'log=$1; shift; exec "$@" >"$log" 2>&1' sh "$target.log" \
    debootstrap --variant=minbase sid "$target" "$DEBIAN_MIRROR" || {
    tail -n 30 "$target.log" >&2
    echo "test-newest: debootstrap failed; the whole log is $target.log" >&2
    return 1
  }
  rm -f "$target.log"

  # debootstrap wrote sources.list: the host's mirror, suite sid. The mirror is a frozen
  # snapshot here, and sid's Release file expires a week after it was made.
  {
    echo 'Acquire::Check-Valid-Until "false";'
    echo 'Acquire::Check-Date "false";'
    echo 'APT::Install-Recommends "false";'
    [ -z "$APT_HTTP_PROXY" ] || echo "Acquire::http::Proxy \"$APT_HTTP_PROXY\";"
    [ -z "$APT_HTTPS_PROXY" ] || echo "Acquire::https::Proxy \"$APT_HTTPS_PROXY\";"
  } >"$target/etc/apt/apt.conf.d/90business-cameras"

  # The CAs the host adds to its trust store (PyPI is reached through a proxy that signs with
  # its own CA): copied in, then ca-certificates puts them into the root's bundle. Until then
  # the host's bundle stands in, for an https mirror.
  if [ -d /usr/local/share/ca-certificates ]; then
    mkdir -p "$target/usr/local/share/ca-certificates/host"
    find /usr/local/share/ca-certificates -name '*.crt' -type f \
      -exec cp {} "$target/usr/local/share/ca-certificates/host/" \;
  fi
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$target/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$target/etc/ssl/certs/ca-certificates.crt"
  fi

  # shellcheck disable=SC2016  # expanded by the root's sh
  in_root "$target" "" /bin/sh -euc '
    uv_version=$1
    shift
    apt-get update -qq
    apt-get install -y -qq "$@" >/dev/null
    update-ca-certificates >/dev/null
    python3.14 -m venv /opt/uv
    /opt/uv/bin/pip install --quiet --disable-pip-version-check "uv==$uv_version"
    python3.14 --version
  ' sh "$SID_UV_VERSION" "${SID_PACKAGES[@]}" || return 1
}
