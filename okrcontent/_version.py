"""The package version, in a module of its own: hatch reads it from here, and ``fetch``
and the command line import it without importing the package root."""

__version__ = "0.1.0"
