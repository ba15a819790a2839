#!/usr/bin/env bash
# Builds the embedded database engine: FerretDB v1.24.2 (SQLite backend) with the five fixes
# below (docs/database.md describes the first three). The plain `go install` binary panics at
# start, and without the fixes lookups by _id scan whole collections and concurrent updates are
# lost; the fourth saves CPU on every command, and the fifth finds `_id: {$in: [...]}` by the
# index rather than by a scan.
#
# The binary is cached per user, keyed by version and fix level, so every clone and CI run
# reuses one build. Prints the binary's path on stdout; progress goes to stderr.
set -euo pipefail

VERSION=v1.24.2
FIXES=fix5
CACHE_ROOT="${COCREATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cocreate}"
TARGET_DIR="$CACHE_ROOT/ferretdb-$VERSION-$FIXES"
BINARY="$TARGET_DIR/ferretdb"

if [ -x "$BINARY" ]; then
  echo "$BINARY"
  exit 0
fi

fail() { echo "build-ferretdb: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || fail "Go 1.24 or newer is needed to build the embedded database (install it from your distribution or go.dev), or set MONGODB_URI to use an existing MongoDB."
GO_MINOR=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
[ "${GO_MINOR:-0}" -ge 24 ] 2>/dev/null || fail "Go 1.24 or newer is needed (found $(go env GOVERSION)), or set MONGODB_URI to use an existing MongoDB."

# What the first start prints while it builds: a step at a time, then a line every 10 s while Go
# compiles (the longest step, silent otherwise), so nobody thinks it hangs.
EXPECTED_COMPILE_SECONDS=150
step() { echo "build-ferretdb: [$1/3] $2" >&2; }
progress() {
  local elapsed=$1 done_chars
  done_chars=$(( elapsed * 20 / EXPECTED_COMPILE_SECONDS ))
  [ "$done_chars" -gt 19 ] && done_chars=19
  printf 'build-ferretdb:       [%-20s] %d s of about %d s\n' "$(printf '%*s' "$done_chars" '' | tr ' ' '#')" "$elapsed" "$EXPECTED_COMPILE_SECONDS" >&2
}

echo "build-ferretdb: building the embedded database engine (FerretDB $VERSION with fixes $FIXES), about 3 minutes, once per machine; cached in $TARGET_DIR" >&2
STARTED=$SECONDS
mkdir -p "$CACHE_ROOT"
WORK=$(mktemp -d "$CACHE_ROOT/build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

step 1 "downloading the FerretDB $VERSION source from the Go module proxy (about 30 s)"
MODULE_DIR=$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$MODULE_DIR" ] || fail "could not download the FerretDB module source"
SRC="$WORK/src"
cp -r "$MODULE_DIR" "$SRC"
chmod -R u+w "$SRC"
echo "$VERSION" > "$SRC/build/version/version.txt"

step 2 "applying the five fixes"

# Fix 1: look documents up by _id with the same expression the unique _id index is built on,
# so SQLite uses the index instead of scanning.
META="$SRC/internal/backends/sqlite/metadata/metadata.go"
sed -i "s|IDColumn = DefaultColumn + \"->'\$._id'\"|IDColumn = DefaultColumn + \`->\"_id\"\`|" "$META"
grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$META" || fail "fix 1 (the _id expression) did not apply"

# Fix 2: use the _id index whenever the filter has one top-level _id, not only when it is alone;
# FerretDB re-applies the whole filter afterwards, so narrowing by _id is safe.
COLL="$SRC/internal/backends/sqlite/collection.go"
sed -i 's/if params.Filter.Len() == 1 {/if func() bool { n := 0; for _, k := range params.Filter.Keys() { if k == "_id" { n++ } }; return n == 1 }() {/' "$COLL"
[ "$(grep -c 'return n == 1 }() {' "$COLL")" = 2 ] || fail "fix 2 (_id with other conditions) did not apply"

# Fix 3: one write command at a time, so read-modify-write updates are atomic like MongoDB's.
H="$SRC/internal/handler"
printf 'package handler\n\nimport "sync"\n\n// writeMu serialises write commands so read-modify-write updates cannot interleave.\nvar writeMu sync.Mutex\n' > "$H/write_mutex.go"
sed -i '/^func (h \*Handler) Msg\(Update\|FindAndModify\|Delete\|Insert\)(connCtx context.Context, msg \*wire.OpMsg) (\*wire.OpMsg, error) {$/a writeMu.Lock(); defer writeMu.Unlock()' \
  "$H/msg_update.go" "$H/msg_findandmodify.go" "$H/msg_delete.go" "$H/msg_insert.go"
[ "$(cat "$H"/msg_*.go | grep -c 'writeMu.Lock(); defer writeMu.Unlock()')" = 4 ] || fail "fix 3 (atomic writes) did not apply"

# Fix 4: no leak tracking outside FerretDB's debug builds. Release builds still track every
# document iterator, SQL row set and transaction in a pprof profile, which records the caller's
# stack each time: about a tenth of the engine's CPU per command under the app's writes
# (measured with the engine's CPU profile). The tracking only adds a panic when an object is
# garbage-collected unclosed; queries and writes run the same without it.
RES="$SRC/internal/util/resource/resource.go"
sed -i 's/^func \(Track\|Untrack\)(obj any, token \*Token) {$/&\n\tif !debugbuild.Enabled {\n\t\treturn\n\t}/' "$RES"
[ "$(grep -c 'if !debugbuild.Enabled {' "$RES")" = 2 ] || fail "fix 4 (no leak tracking) did not apply"

# Fix 5: push `_id: {$in: [...]}` of strings and ObjectIds down to the _id index, as fix 1 does
# for one _id: unpatched, it reads the whole collection (50 ids out of 5,000 users: 137 ms).
# FerretDB applies the whole filter again to the rows returned, so narrowing them is safe; any
# other value in the list (a number, a regex), another operator beside $in, or more ids than
# SQLite's parameters comfortably hold leaves the query as it was.
cat > "$SRC/internal/backends/sqlite/id_in.go" <<'GO'
package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// idInWhere returns the WHERE clause and its arguments for a filter's _id value of the form
// {$in: [strings or ObjectIDs]}, or "" and nil for any other value.
func idInWhere(v any) (string, []any) {
	condition, ok := v.(*types.Document)
	if !ok || condition.Len() != 1 {
		return "", nil
	}
	in, _ := condition.Get("$in")
	ids, ok := in.(*types.Array)
	if !ok || ids.Len() == 0 || ids.Len() > 1000 {
		return "", nil
	}
	args := make([]any, 0, ids.Len())
	for i := 0; i < ids.Len(); i++ {
		id := must.NotFail(ids.Get(i))
		switch id.(type) {
		case string, types.ObjectID:
			args = append(args, string(must.NotFail(sjson.MarshalSingleValue(id))))
		default:
			return "", nil
		}
	}
	return fmt.Sprintf(` WHERE %s IN (?%s)`, metadata.IDColumn, strings.Repeat(", ?", len(args)-1)), args
}
GO
# In the query and in its explain (which then shows the plan, though not the pushdown flag).
sed -i 's/^\(\t\t\)switch v.(type) {$/&\n\t\tcase *types.Document:\n\t\t\twhereClause, args = idInWhere(v)/' "$COLL"
[ "$(grep -c 'whereClause, args = idInWhere(v)' "$COLL")" = 2 ] || fail "fix 5 (_id in a list) did not apply"

step 3 "compiling (about $EXPECTED_COMPILE_SECONDS s on 2 cores)"
(cd "$SRC" && CGO_ENABLED=0 go build -trimpath -o "$WORK/ferretdb" ./cmd/ferretdb) >&2 &
BUILD_PID=$!
COMPILE_STARTED=$SECONDS
while kill -0 "$BUILD_PID" 2>/dev/null; do
  ELAPSED=$(( SECONDS - COMPILE_STARTED ))
  [ $(( ELAPSED % 10 )) -eq 0 ] && progress "$ELAPSED"
  sleep 1
done
wait "$BUILD_PID" || fail "go build failed"

mkdir -p "$TARGET_DIR"
mv "$WORK/ferretdb" "$BINARY.tmp"
mv "$BINARY.tmp" "$BINARY"
echo "build-ferretdb: built in $(( SECONDS - STARTED )) s: $BINARY" >&2
echo "$BINARY"
