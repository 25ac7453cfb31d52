//! The twelve-row scorecard shared by the text and markdown reporters.
