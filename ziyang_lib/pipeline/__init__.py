"""The pipeline layer: parameters, execution, HTML export, the incremental build, figures and
the CLI."""
