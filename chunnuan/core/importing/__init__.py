"""The one import engine for every ledger (see spec.py for how a ledger declares its columns)."""
