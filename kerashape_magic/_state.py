"""Process-wide state shared by the hook, the magics and the public API."""

from __future__ import annotations

from typing import Optional

from .core.types import Diagnosis

#: The most recent diagnosis the hook (or %kerashape check) produced.
last_diagnosis: Optional[Diagnosis] = None

#: True while the hook explains errors (%kerashape on / off).
enabled: bool = True

#: True while fixes are verified on a slice of the user's data before they are offered
#: (%kerashape verify on / off); the pipeline reads it.
verify_enabled: bool = True

#: Execution counts of the cells whose errors reached kerashape's handler: a model call in
#: such a cell did not run the model on data (kerashape_magic.edits reads this).
failed_cells: set = set()
