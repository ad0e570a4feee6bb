"""The embedded demo county (示例县): a deterministic generator of its data pack."""
