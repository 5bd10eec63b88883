"""Usage: ws-sdk-client.py PORT USER PASSWORD

Drives `strata serve` through the official InputLayer Python client (the
`inputlayer` package), unchanged: logs in, reads the hello, writes and
queries through a knowledge-graph handle (which switches graphs with
`.kg use` and tracks `switched_kg`), manages access with `.kg acl`, and
checks that a change notification arrived. Prints one line per check.
"""
import asyncio
import re
import sys

from inputlayer import InputLayer


async def main(port, user, password):
    url = f"ws://127.0.0.1:{port}/ws"
    async with InputLayer(url, username=user, password=password) as il:
        version = il.server_version or ""
        print("version is semver:", bool(re.fullmatch(r"\d+\.\d+\.\d+", version)))
        print("role:", il.role)
        kg = il.knowledge_graph("sdk_graph")
        await kg.execute("+edge[(1, 2), (2, 3)]")
        result = await kg.execute("?edge(X, Y)")
        print("rows:", sorted(tuple(r) for r in result.rows))
        graphs = await il.list_knowledge_graphs()
        print("graph listed:", "sdk_graph" in graphs)
        await kg.grant_access("bob", "reader")
        print("acl:", [(e.username, e.role) for e in await kg.list_acl()])
        await kg.revoke_access("bob")
        print("acl after revoke:", [(e.username, e.role) for e in await kg.list_acl()])
        # The default graph is untouched by writes made through the handle.
        default = il.knowledge_graph("default")
        print("default rows:", (await default.execute("?edge(X, Y)")).rows)
        print("notifications seen:", il.last_seq > 0)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
