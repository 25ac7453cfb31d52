//! One parser per format. Parsers return models with byte spans and never panic on bad input;
//! they hold no rule logic.

pub mod dotenv;
pub mod yaml;
