#!/bin/sh
# deps.sh - install the Debian/Ubuntu packages medley needs, by group.
#
#   tools/deps.sh build [run] [check] [bench] [tsan] [valgrind] [lint]
#
# As root (or with password-less sudo) it installs what is missing with
# apt-get; otherwise it prints the exact apt-get line and fails. It installs
# nothing that is already there, so it is cheap to call on every make run.
set -eu

pkgs_build="gcc make pkg-config libmicrohttpd-dev libpq-dev libcurl4-openssl-dev libcjson-dev libcyaml-dev libyaml-dev"
pkgs_run="postgresql"
pkgs_check="postgresql libcmocka-dev python3 python3-pytest python3-prometheus-client clang-format pgbouncer nginx-light"
pkgs_bench="wrk nginx-light curl postgresql"
pkgs_tsan="libcmocka-dev"
pkgs_valgrind="valgrind libcmocka-dev"
pkgs_lint="clang-format clang-tidy cppcheck"
pkgs_fuzz="clang"
# make deploy-check (tools/validate-deploy.sh); npm comes with nodejs from NodeSource,
# Debian's nodejs needs the npm package as well.
pkgs_deploy="docker-compose yamllint python3-jsonschema python3-yaml shellcheck systemd nodejs nginx-light"
# make container-test (tools/container-test.sh)
pkgs_container="podman podman-compose buildah runc debootstrap golang-github-containernetworking-plugin-dnsname curl"
# libFuzzer's runtime ships in libclang-rt-<version>-dev on Debian and Ubuntu.
if command -v clang >/dev/null 2>&1; then
	v=$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
	[ -n "$v" ] && pkgs_fuzz="clang libclang-rt-$v-dev"
fi

want=""
for group in "$@"; do
	eval "want=\"\$want \$pkgs_$group\""
done

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "medley: missing packages:$missing" >&2
	echo "medley: run as root:  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "medley: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# An update first: a fresh machine's package lists may be empty or stale.
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
