#!/bin/sh
# fetch-deb.sh PKG ARCH SUITE OUTDIR
#
# Downloads the Debian package PKG built for ARCH (a Debian architecture name: i386,
# arm64, armhf, riscv64, mips, mipsel, ...) from SUITE of http://deb.debian.org/debian
# and extracts its files under OUTDIR (OUTDIR/usr/lib/<triple>/...).
#
# The system's apt state is never touched: apt runs with a private APT_CONFIG whose
# sources list, package lists, cache and dpkg status live in OUTDIR/.apt/SUITE-ARCH,
# so no `dpkg --add-architecture` is needed (and it fails on some machines anyway).
# Packages are authenticated by apt as usual, against Debian's archive keyring.
#
# Cached: once PKG is extracted a stamp in OUTDIR records it, and later calls do nothing.
# riscv64 is not a bookworm architecture: ask for SUITE trixie there. Big-endian mips
# left Debian after buster (archive.debian.org only: set FETCH_DEB_MIRROR).
# FETCH_DEB_MIRROR and FETCH_DEB_KEYRING override the mirror and the archive keyring;
# FETCH_DEB_TRIES (default 4) bounds the attempts at a mirror that is mid-update.
# Exit status: 0 when the files are in OUTDIR, non-zero (with a message) otherwise.
set -eu

if [ $# -ne 4 ]; then
	echo "usage: $0 PKG ARCH SUITE OUTDIR" >&2
	exit 2
fi
pkg=$1
arch=$2
suite=$3
outdir=$4
mirror=${FETCH_DEB_MIRROR:-http://deb.debian.org/debian}
keyring=${FETCH_DEB_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

# The names end up in a config file and in paths: refuse anything unusual.
for v in "$pkg" "$arch" "$suite"; do
	case $v in
	'' | -* | *[!A-Za-z0-9.+-]*)
		echo "fetch-deb: bad argument '$v'" >&2
		exit 2 ;;
	esac
done

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
stamp=$outdir/.fetch-deb-$pkg-$arch-$suite
if [ -f "$stamp" ]; then
	exit 0
fi

for tool in apt-get dpkg-deb; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "fetch-deb: $tool not found (this script needs a Debian-like host)" >&2
		exit 1
	fi
done
if [ ! -r "$keyring" ]; then
	echo "fetch-deb: no Debian archive keyring at $keyring (package debian-archive-keyring)" >&2
	exit 1
fi

state=$outdir/.apt/$suite-$arch
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/etc/apt.conf.d" \
	"$state/etc/sources.list.d" "$state/etc/preferences.d" "$state/download"

# Two builds fetching into the same OUTDIR at once would race on the lists.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$state/lock"
	flock 9
	if [ -f "$stamp" ]; then
		exit 0
	fi
fi

: > "$state/status"
echo "deb [signed-by=$keyring] $mirror $suite main" > "$state/etc/sources.list"
cat > "$state/apt.conf" <<EOF
Dir::Etc::SourceList "$state/etc/sources.list";
Dir::Etc::SourceParts "$state/etc/sources.list.d";
Dir::Etc::Parts "$state/etc/apt.conf.d";
Dir::Etc::Preferences "$state/etc/preferences";
Dir::Etc::PreferencesParts "$state/etc/preferences.d";
Dir::State "$state";
Dir::State::Lists "$state/lists";
Dir::State::status "$state/status";
Dir::Cache "$state/cache";
Dir::Cache::Archives "$state/cache/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
APT::Get::List-Cleanup "false";
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::Retries "2";
Acquire::http::Timeout "30";
EOF
APT_CONFIG=$state/apt.conf
export APT_CONFIG

# The lists are fetched once per SUITE-ARCH and reused for later packages.
if ! ls "$state/lists/"*_Packages* >/dev/null 2>&1; then
	# A mirror caught between an InRelease and the indexes it lists fails apt's size or
	# hash check ("Mirror sync in progress?"); that passes within minutes, so such a
	# failure is retried a few times. Any other failure is final at once.
	tries=${FETCH_DEB_TRIES:-4}
	while :; do
		echo "fetch-deb: apt-get update ($suite, $arch) from $mirror"
		if apt-get -q update >"$state/update.log" 2>&1 &&
		   ! grep -qE '^(E: |W: (Failed to fetch|Some index files|GPG error))' "$state/update.log"; then
			break
		fi
		rm -f "$state/lists/"*_Packages*
		tries=$((tries - 1))
		if [ "$tries" -gt 0 ] &&
		   grep -qE 'unexpected size|Hash Sum mismatch|Mirror sync in progress' "$state/update.log"; then
			echo "fetch-deb: the mirror is being updated; trying again in 30 s"
			sleep 30
			continue
		fi
		cat "$state/update.log" >&2
		echo "fetch-deb: cannot read the $suite $arch package lists from $mirror" >&2
		exit 1
	done
	if ! ls "$state/lists/"*_Packages* >/dev/null 2>&1; then
		cat "$state/update.log" >&2
		echo "fetch-deb: $suite has no $arch packages (riscv64 needs trixie; big-endian mips ended with buster)" >&2
		exit 1
	fi
fi

rm -f "$state/download/"*.deb
if ! (cd "$state/download" && apt-get -q download "$pkg:$arch") >"$state/download.log" 2>&1; then
	cat "$state/download.log" >&2
	echo "fetch-deb: cannot download $pkg:$arch from $suite" >&2
	exit 1
fi
set -- "$state/download/"*.deb
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	cat "$state/download.log" >&2
	echo "fetch-deb: apt-get download left no single .deb for $pkg:$arch" >&2
	exit 1
fi
dpkg-deb -x "$1" "$outdir"
basename "$1" >"$stamp"
echo "fetch-deb: $(basename "$1") -> $outdir"
