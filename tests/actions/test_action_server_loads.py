"""The action server can load and ship every action to its worker process."""

from __future__ import annotations

import pickle

from rasa_sdk.executor import ActionExecutor


def test_every_action_registers_and_survives_pickling() -> None:
    # Sanic spawns the action server's worker and pickles the executor with every action in it:
    # an unpicklable collaborator (a lambda, an open engine) kills the server at start-up.
    executor = ActionExecutor()
    executor.register_package("actions")
    assert "action_escalate" in executor.actions
    assert "action_product_price" in executor.actions
    pickle.dumps(executor)
