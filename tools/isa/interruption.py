"""Interruption from another thread (SwasmRuntime/Interruption/InterruptHandle.swift). Last in the table, away from the
hot handlers: it runs once per interruption."""
from .core import op

# Never translated: an interruption writes it over the first instruction of every loop of a running store, and
# puts the instructions back when the call has stopped.
op("interrupted", "", "TRAP(.interrupted)")
