"""Matching students to units: a pure-Python engine (``engine``) and its Django adapter.

Importing this package imports nothing from Django, so ``python -m bryggan.matching`` runs
without settings.
"""
