#!/usr/bin/env bash
# Publishes the native-AOT agent to artifacts/agent/linux-x64/edgenode-agent.
# Zero trim/AOT warnings: any warning fails the publish (warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${RID:-linux-x64}
out=artifacts/agent/$rid
dotnet publish agent/EdgeNode.Agent.csproj -c Release -r "$rid" -o "$out" -warnaserror -nologo -v:q -clp:ErrorsOnly
ls -l "$out/edgenode-agent"
