"""A stateful, in-memory stand-in for Kitemaker's APIs: REST (the contract's 16
endpoints) and GraphQL (the part kiteboard uses), over one organization.

- state.py (state_core.py, records.py, validation.py, initiatives.py, sort_keys.py): the
  organization and its rules; demo.py (demo_board.py): the demo data;
- routes.py (serialize.py, errors.py): the REST endpoints, their validation and shapes;
- graphql_api.py (schema.graphql, graphql_shapes/paging/writes.py): the GraphQL
  endpoint, executed by graphql-core, imported on its first request;
- app.py: `Emulator.handle`, one request in, one answer out (auth, rate limit, faults);
- transport.py: in-process httpx transport; server.py: HTTP on loopback (the command
  is kiteboard/cli/emulator.py).

Never imports kiteboard.api (it is the other half of the contract tests) nor textual;
httpx only in transport.py.
"""
