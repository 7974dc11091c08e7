"""The Qt screens. Nothing outside this package imports Qt."""
