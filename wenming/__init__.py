"""文明创建工作看板: reading campaign trackers into DuckDB and the figures leaders review."""

__version__ = "0.1.0"
