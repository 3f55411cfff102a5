#!/bin/bash
# Pack ROOT/versions/VERSION into DIR/NAME with NAME.sha256 beside it; both
# appear only when complete (written under temporary names, then renamed).
# Usage: cache-pack.sh ROOT VERSION DIR NAME
set -euo pipefail
root=$1 version=$2 dir=$3 name=$4
tmp=$(mktemp "$dir/.$name.XXXXXX")
trap 'rm -f "$tmp" "$tmp.sha256"' EXIT
tar --create --use-compress-program='gzip -1' --file "$tmp" --directory "$root/versions" "$version"
echo "$(sha256sum "$tmp" | cut -d' ' -f1)  $name" >"$tmp.sha256"
chmod 0644 "$tmp" "$tmp.sha256"
mv -f "$tmp" "$dir/$name"
mv -f "$tmp.sha256" "$dir/$name.sha256"
echo "packed $dir/$name"
