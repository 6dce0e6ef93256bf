#!/bin/sh
# container-test.sh - build the image and run compose.yaml end to end with podman
# (make container-test; opt-in, not part of make check). Follows
# /work/shared/notes/containers.md: isolated podman config and storage under
# build/containers, a locally built Debian base image, and a STAND-IN for
# postgres:17 built from Debian's postgresql-15 (the official image cannot be pulled).
#
# Cold run about 3 minutes, warm about 15 s. Exits 0 only when everything passed;
# where containers cannot run it says why and exits 1 (a skip is never a pass).
set -eu

cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
work=$top/build/containers
test_dir=$work/test
project=medleytest
base=docker.io/library/debian:bookworm-slim
app_image=localhost/medley:latest
pg_image=localhost/postgres-standin:17

say() { printf 'container-test: %s\n' "$*"; }
die() { say "FAIL: $*"; exit 1; }
cannot() { say "SKIP (not a pass): $*"; exit 1; }

for t in podman podman-compose runc; do
	command -v "$t" >/dev/null 2>&1 || cannot "$t not installed (apt-get install podman podman-compose runc buildah)"
done
# Service names (db) resolve only with a DNS plugin: CNI's dnsname (podman 4.3's
# default backend on Debian 12) or netavark's aardvark-dns.
if [ ! -x /usr/lib/cni/dnsname ] && [ ! -x /usr/lib/podman/aardvark-dns ]; then
	cannot "no container DNS plugin (apt-get install golang-github-containernetworking-plugin-dnsname)"
fi
[ "$(id -u)" = 0 ] || cannot "run as root (rootless podman needs subuid ranges not set up here)"

mkdir -p "$work" "$test_dir"
cat >"$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
cat >"$work/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$work/storage"
runroot = "$work/run"
CONF
export CONTAINERS_CONF="$work/containers.conf" CONTAINERS_STORAGE_CONF="$work/storage.conf"
podman info >/dev/null 2>"$work/podman-info.log" || { cat "$work/podman-info.log"; cannot "podman cannot run here"; }

# 1. The base image, built locally when missing (registries are unreachable here).
if ! podman image exists "$base"; then
	command -v debootstrap >/dev/null 2>&1 || cannot "no $base and no debootstrap to build it"
	say "building $base with debootstrap (about 60 s)"
	rm -rf "$work/rootfs"
	debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
		|| { tail -n 20 "$work/debootstrap.log"; die "debootstrap failed"; }
	tar -C "$work/rootfs" -c . | podman import - "$base" >/dev/null
	rm -rf "$work/rootfs"
fi

# 2. The app image and the PostgreSQL stand-in.
say "podman build $app_image"
podman build -q --format docker --build-arg BASE_IMAGE="$base" \
	--build-arg VCS_REF="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)" \
	-t "$app_image" -f Containerfile . >"$work/build-app.log" 2>&1 || { tail -n 30 "$work/build-app.log"; die "app image build failed"; }
size=$(podman image inspect "$app_image" --format '{{.Size}}')
base_size=$(podman image inspect "$base" --format '{{.Size}}')
say "image $app_image: $((size / 1000000)) MB (base $base: $((base_size / 1000000)) MB, so medley adds $(((size - base_size) / 1000000)) MB)"
say "podman build $pg_image (STAND-IN for postgres:17: Debian postgresql-15)"
podman build -q --build-arg BASE_IMAGE="$base" -t "$pg_image" tools/validate/pgstandin >"$work/build-pg.log" 2>&1 \
	|| { tail -n 30 "$work/build-pg.log"; die "stand-in postgres build failed"; }

# 3. Secrets as docs/deployment.md creates them, in a private folder.
secrets=$test_dir/secrets
rm -rf "$secrets"; mkdir -m 0700 "$secrets"
pw=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$pw" >"$secrets/db_password"
printf 'postgresql://medley:%s@db:5432/medley\n' "$pw" >"$secrets/database_url"
chmod 0644 "$secrets/db_password" "$secrets/database_url"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export MEDLEY_CONTACT=container-test@example.invalid SECRETS_DIR="$secrets" POSTGRES_IMAGE="$pg_image" \
	APP_IMAGE="$app_image" PUBLISH_ADDR=127.0.0.1 PUBLISH_PORT="$port" MEDLEY_SERVER_DRAIN_S=1
# The fake MusicBrainz (test/fake) on the host, reached from the container through
# host.containers.internal: lookups go through the container and never leave the host.
fake_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("0.0.0.0",0)); print(s.getsockname()[1])')
/usr/bin/python3 test/fake/fake_provider.py --host 0.0.0.0 --port "$fake_port" >"$work/fake.log" 2>&1 &
fake_pid=$!
fake=http://127.0.0.1:$fake_port
export MEDLEY_PROVIDERS_MUSICBRAINZ_BASE_URL="http://host.containers.internal:$fake_port/ws/2"
compose() { podman-compose -p "$project" -f compose.yaml "$@"; }
cleanup() {
	say "tearing down"
	compose down -v >"$work/down.log" 2>&1 || true
	podman volume rm -f "${project}_pgdata" >/dev/null 2>&1 || true
	podman network rm -f "${project}_default" >/dev/null 2>&1 || true
	rm -rf "$secrets"
	kill "$fake_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 1' INT TERM
compose down -v >/dev/null 2>&1 || true
# A network made before the DNS plugin was installed has no name resolution.
podman network rm -f "${project}_default" >/dev/null 2>&1 || true

url=http://127.0.0.1:$port
get() { curl -s -o "$work/body" -w '%{http_code}' --max-time 3 "$url$1" || true; }
wait_ready() {
	i=0
	while [ $i -lt "$1" ]; do
		[ "$(get /ready)" = 200 ] && return 0
		sleep 1; i=$((i + 1))
	done
	return 1
}

# 4. Up. podman-compose ignores depends_on conditions and healthchecks, so poll /ready.
say "podman-compose up -d (publishing $url)"
compose up -d >"$work/up.log" 2>&1 || { cat "$work/up.log"; die "compose up failed"; }
wait_ready 90 || { compose logs >"$work/logs.txt" 2>&1; tail -n 40 "$work/logs.txt"; die "/ready never answered 200"; }
say "PASS /ready: $(cat "$work/body")"
[ "$(get /health)" = 200 ] || die "/health: $(cat "$work/body")"
say "PASS /health: $(cat "$work/body")"
[ "$(get /metrics)" = 200 ] || die "/metrics"
say "PASS /metrics: $(wc -l <"$work/body") lines"
[ "$(podman inspect "${project}_medley_1" --format '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}')" = "true 10001:10001" ] \
	|| die "medley does not run read-only as 10001"
say "PASS medley runs with a read-only root filesystem as uid 10001"

# 5. A lookup through the container: fetched from the fake MusicBrainz, stored.
nirvana=/v1/artists/5b11f4ce-a62d-471e-81fc-a69a8278c7da
[ "$(get "$nirvana")" = 200 ] || die "lookup: $(cat "$work/body")"
grep -q '"status":"miss"' "$work/body" || die "first lookup was not a miss: $(head -c 300 "$work/body")"
fetched=$(curl -s "$fake/_fake/count?path_prefix=/ws/2/artist/")
say "PASS lookup through the container: a miss, fetched from the fake MusicBrainz ($fetched)"

# 6. Restart the app: the schema and the cache survive in the volume.
psql() { podman exec "${project}_db_1" psql -U medley -d medley -tAc "$1"; }
before=$(psql 'select count(*) || md5(string_agg(t::text, $$,$$)) from schema_migrations t')
say "podman restart ${project}_medley_1"
podman restart "${project}_medley_1" >/dev/null
sleep 1
wait_ready 60 || die "/ready after restart"
after=$(psql 'select count(*) || md5(string_agg(t::text, $$,$$)) from schema_migrations t')
if [ -z "$before" ] || [ "$before" != "$after" ]; then die "schema_migrations changed across the restart ($before vs $after)"; fi
say "PASS after restart /ready 200 with schema_migrations unchanged ($before)"
[ "$(get "$nirvana")" = 200 ] || die "lookup after restart: $(cat "$work/body")"
grep -q '"status":"hit"' "$work/body" || die "the cache did not survive: $(head -c 300 "$work/body")"
[ "$(curl -s "$fake/_fake/count?path_prefix=/ws/2/artist/")" = "$fetched" ] || die "MusicBrainz was asked again"
say "PASS after restart the lookup is a cache hit, MusicBrainz not asked again"

# 7. SIGTERM drains and exits 0.
podman stop -t 30 "${project}_medley_1" >/dev/null
status=$(podman inspect "${project}_medley_1" --format '{{.State.ExitCode}}')
[ "$status" = 0 ] || die "exit status after SIGTERM: $status"
say "PASS podman stop (SIGTERM): exit status 0"
say "all passed"
