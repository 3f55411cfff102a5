#!/bin/bash
# Unpack a verified team-cache ARCHIVE of VERSION into ROOT/versions: into a
# temporary directory first, check the Python there imports the modules a
# broken build lacks, and only then rename it into place. The archive is
# removed either way. Usage: cache-unpack.sh ROOT VERSION ARCHIVE
set -euo pipefail
root=$1 version=$2 archive=$3
tmp=$(mktemp -d "$root/versions/.unpack-$version.XXXXXX")
trap 'rm -rf "$tmp" "$archive"' EXIT
if ! tar --extract --gzip --file "$archive" --directory "$tmp"; then
  echo "team cache archive $archive is corrupt (it cannot be unpacked); refused" >&2
  exit 1
fi
if [ ! -x "$tmp/$version/bin/python" ]; then
  echo "team cache archive $archive holds no $version/bin/python; refused" >&2
  exit 1
fi
# pyenv links libpython with an rpath to the final prefix: point the loader at the unpacked one.
if ! LD_LIBRARY_PATH="$tmp/$version/lib" "$tmp/$version/bin/python" -c 'import ssl, sqlite3, lzma, bz2, readline, ctypes'; then
  echo "Python $version from the team cache cannot import ssl, sqlite3, lzma, bz2, readline, ctypes; refused" >&2
  exit 1
fi
mv -T "$tmp/$version" "$root/versions/$version"
echo "unpacked $root/versions/$version"
