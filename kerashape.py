"""kerashape: see why a Keras model rejects your data, and fix it in one verified click.

In a notebook::

    %load_ext kerashape
    model.fit(X_train, y_train)   # on an incompatible-input error, a panel appears below
                                  # the traceback: shape table, cube, verified fixes

This module is a thin shim so that both ``%load_ext kerashape`` and ``import kerashape``
work; the code lives in :mod:`kerashape_magic`.
"""

from kerashape_magic import *  # noqa: F401,F403
from kerashape_magic import __all__, __version__, load_ipython_extension, unload_ipython_extension  # noqa: F401  # noqa: F401
