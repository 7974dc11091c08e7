"""ptdesk: offline desktop assistant for a small physical therapy clinic."""

__version__ = "0.1.0"
