"""Chart builders: one function per chart, each returning a plotly Figure."""
