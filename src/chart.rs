//! Line charts of a trade series as PNG, for the bot's "Chart" button and
//! `factbot ask --chart out.png`. The font is embedded (DejaVu Sans), so charts render the
//! same on any machine, with no system fonts.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::answer::Answer;
use crate::format;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the answer has no series of two or more years to chart")]
    NoSeries,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
}

const WIDTH: u32 = 800;
const HEIGHT: u32 = 480;

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for (style, bytes) in [
            (FontStyle::Normal, dejavu::sans::regular()),
            (FontStyle::Bold, dejavu::sans::bold()),
        ] {
            if plotters::style::register_font("sans-serif", style, bytes).is_err() {
                log::warn!("the embedded chart font could not be loaded");
            }
        }
    });
}

/// The figures in the caption: "2000: $90.8 million · 2001: …".
pub fn caption(answer: &Answer) -> String {
    let points: Vec<String> = answer
        .series
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p.year,
                format::money(p.amount, p.currency.as_deref(), answer.lang)
            )
        })
        .collect();
    let mut c = answer.headline.clone().unwrap_or_default();
    if !points.is_empty() {
        c.push('\n');
        c.push_str(&points.join(" · "));
    }
    c.chars().take(1000).collect()
}

/// Draws the series of `answer` as a PNG.
pub fn render_png(answer: &Answer) -> Result<Vec<u8>, ChartError> {
    if answer.series.len() < 2 {
        return Err(ChartError::NoSeries);
    }
    register_font();
    let currency = answer.series[0].currency.clone();
    let (scale, unit) = {
        let max = answer
            .series
            .iter()
            .map(|p| p.amount)
            .fold(0.0f64, f64::max);
        if max >= 1e9 {
            (1e9, "billion")
        } else if max >= 1e6 {
            (1e6, "million")
        } else {
            (1.0, "")
        }
    };
    let ys: Vec<(f64, f64)> = answer
        .series
        .iter()
        .map(|p| (f64::from(p.year), p.amount / scale))
        .collect();
    // Half a year of margin on each side keeps the end points and their labels inside.
    let (x0, x1) = (ys[0].0 - 0.5, ys[ys.len() - 1].0.max(ys[0].0 + 1.0) + 0.5);
    let y_max = ys.iter().map(|p| p.1).fold(0.0f64, f64::max) * 1.15;
    let mut buf = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        let title = answer.lines.first().cloned().unwrap_or_default();
        let title: String = title.trim_end_matches(':').chars().take(70).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(x0..x1, 0f64..y_max.max(1e-9))
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        let y_desc = format!("{} {}", currency.as_deref().unwrap_or(""), unit)
            .trim()
            .to_string();
        chart
            .configure_mesh()
            .x_labels(((x1 - x0) as usize + 1).min(12))
            .x_label_formatter(&|x| {
                if (x - x.round()).abs() < 0.01 {
                    format!("{}", x.round() as i64)
                } else {
                    String::new()
                }
            })
            .y_desc(y_desc)
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        let blue = RGBColor(31, 119, 180);
        chart
            .draw_series(LineSeries::new(ys.iter().copied(), blue.stroke_width(3)))
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        chart
            .draw_series(
                ys.iter()
                    .map(|&(x, y)| Circle::new((x, y), 5, blue.filled())),
            )
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        chart
            .draw_series(ys.iter().map(|&(x, y)| {
                let style = TextStyle::from(("sans-serif", 15).into_font()).pos(
                    plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Bottom,
                    ),
                );
                Text::new(
                    format::number((y * 100.0).round() / 100.0, answer.lang),
                    (x, y + y_max * 0.03),
                    style,
                )
            }))
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        root.present()
            .map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    encode_png(&buf)
}

/// plotters writes PNG only to files; encode the RGB buffer in memory instead.
fn encode_png(rgb: &[u8]) -> Result<Vec<u8>, ChartError> {
    let img = image::RgbImage::from_raw(WIDTH, HEIGHT, rgb.to_vec())
        .ok_or_else(|| ChartError::Draw("bad buffer".into()))?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(out.into_inner())
}
