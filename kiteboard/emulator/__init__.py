"""A stateful, in-memory stand-in for the Kitemaker REST API (the contract's 16 endpoints).

- state.py (records.py): the organization and its rules; demo.py: the demo data;
- routes.py (serialize.py, errors.py): the endpoints, their validation and shapes;
- app.py: `Emulator.handle`, one request in, one answer out (auth, rate limit, faults);
- transport.py: in-process httpx transport; server.py: HTTP on loopback; cli.py: the command.

Never imports kiteboard.api (it is the other half of the contract tests) nor textual;
httpx only in transport.py.
"""
