"""The pure core of kerashape: message parsing, diagnosis rules and fix candidates.

Everything under ``kerashape_magic.core`` imports only the standard library. It never
sees a tensor, an array or an exception object: only shape tuples, strings and the
plain dataclasses of :mod:`kerashape_magic.core.types`. That keeps it fast, cacheable
and testable without TensorFlow.
"""
