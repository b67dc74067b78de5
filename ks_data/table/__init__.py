"""The tidy table and what defines it: schema, catalogue, areas, configuration, validation, the file reader,
and the observations loader with its Parquet copy. Builds on the statistics (intervals filled at load)."""
