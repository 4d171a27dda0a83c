//! Line charts of a trade series as PNG, for the bot's "Chart" button and
//! `factbot ask --chart out.png`. The line breaks where the documents give no figure for a
//! year (a straight line across the gap would invent the years between), and each point is
//! labelled with the figure as the answer's text words it. The font is embedded (DejaVu
//! Sans), so charts render the same on any machine, with no system fonts.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::answer::{Answer, SeriesPoint};
use crate::format;
use crate::question::Lang;

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
    // A margin on each side (half a year, more on a long range) keeps the end points and
    // their labels inside.
    let (first, last) = (ys[0].0, ys[ys.len() - 1].0.max(ys[0].0 + 1.0));
    let margin = ((last - first) * 0.06).max(0.5);
    let (x0, x1) = (first - margin, last + margin);
    // Points closer than a label is wide get their labels above and below in turn.
    let crowded = f64::from(WIDTH - 100) / (x1 - x0) < 110.0;
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
        for run in runs_of_consecutive_years(&answer.series) {
            let line = run.iter().map(|p| (f64::from(p.year), p.amount / scale));
            chart
                .draw_series(LineSeries::new(line, blue.stroke_width(3)))
                .map_err(|e| ChartError::Draw(e.to_string()))?;
        }
        chart
            .draw_series(
                ys.iter()
                    .map(|&(x, y)| Circle::new((x, y), 5, blue.filled())),
            )
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        chart
            .draw_series(
                answer
                    .series
                    .iter()
                    .zip(&ys)
                    .enumerate()
                    .map(|(i, (p, &(x, y)))| {
                        use plotters::style::text_anchor::{HPos, Pos, VPos};
                        let below = crowded && i % 2 == 1;
                        let (v, dy) = if below {
                            (VPos::Top, -0.03)
                        } else {
                            (VPos::Bottom, 0.03)
                        };
                        let style = TextStyle::from(("sans-serif", 14).into_font())
                            .pos(Pos::new(HPos::Center, v));
                        Text::new(label(p, answer.lang), (x, y + y_max * dy), style)
                    }),
            )
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        root.present()
            .map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    encode_png(&buf)
}

/// A point's label: the figure as the answer's text words it ("$120.8 million").
fn label(p: &SeriesPoint, lang: Lang) -> String {
    format::money(p.amount, p.currency.as_deref(), lang)
}

/// The series cut where a year is missing, so that no line crosses a gap.
fn runs_of_consecutive_years(series: &[SeriesPoint]) -> Vec<&[SeriesPoint]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=series.len() {
        if i == series.len() || series[i].year != series[i - 1].year + 1 {
            runs.push(&series[start..i]);
            start = i;
        }
    }
    runs
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

#[cfg(test)]
mod tests {
    use super::*;

    fn point(year: i32, amount: f64) -> SeriesPoint {
        SeriesPoint {
            year,
            amount,
            currency: Some("USD".into()),
        }
    }

    /// Issue 15: a series with missing years drew one straight line from 2003 to 2023.
    #[test]
    fn the_line_breaks_where_years_are_missing() {
        let series = [
            point(2000, 1.0),
            point(2001, 2.0),
            point(2003, 3.0),
            point(2023, 4.0),
            point(2024, 5.0),
        ];
        let years: Vec<Vec<i32>> = runs_of_consecutive_years(&series)
            .iter()
            .map(|run| run.iter().map(|p| p.year).collect())
            .collect();
        assert_eq!(years, vec![vec![2000, 2001], vec![2003], vec![2023, 2024]]);
        assert!(runs_of_consecutive_years(&[]).is_empty());
    }

    /// Issue 15: $120.8 million was labelled "0.12" beside a figure in billions.
    #[test]
    fn labels_word_figures_as_the_answer_does() {
        let p = point(2001, 120_800_000.0);
        assert_eq!(
            label(&p, Lang::En),
            format::money(p.amount, Some("USD"), Lang::En)
        );
        assert!(
            label(&p, Lang::En).contains("120.8 million"),
            "{}",
            label(&p, Lang::En)
        );
        assert!(
            label(&p, Lang::Ru).contains("120,8"),
            "{}",
            label(&p, Lang::Ru)
        );
    }
}
