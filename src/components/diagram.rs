//! Draws an `idp::diagram::Diagram` as SVG: boxes and arrows in the page's theme, each box
//! reachable with the keyboard (focusing one lights its arrows), a path lit from outside (a row
//! of the import's results), the diagram as text beside it for screen readers, and exports as
//! SVG and PNG files for slides.

use idp::diagram::{Diagram, Edge, Node, Shape};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The diagrams' stylesheet, which the page links; an exported file carries it, with each
/// colour variable replaced by the colour it has now ([`resolved`]). (A `<style>` inside the
/// live SVG would be refused by the page's Content-Security-Policy, `style-src 'self'`.)
const STYLE: &str = include_str!("../../style/diagram.css");

/// [`STYLE`] with each `var(--name)` replaced by the value the page gives it now, for a file
/// opened elsewhere.
fn resolved() -> String {
    let computed = document()
        .document_element()
        .and_then(|root| window().get_computed_style(&root).ok().flatten());
    let dark = document()
        .document_element()
        .and_then(|root| root.get_attribute("data-theme"))
        .is_some_and(|theme| theme == "dark");
    let mut out = String::new();
    let mut rest = STYLE;
    while let Some(start) = rest.find("var(--") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "var(".len()..];
        let Some(end) = after.find(')') else {
            break;
        };
        let name = &after[..end];
        let value = computed
            .as_ref()
            .and_then(|c| c.get_property_value(name).ok())
            .map(|v| pick_theme(v.trim(), dark))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "#777".into());
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The theme's colour from a token written `light-dark(<light>, <dark>)` (style/tokens.css),
/// which a file opened outside the page could not choose between; any other value as it is.
fn pick_theme(value: &str, dark: bool) -> String {
    match value
        .strip_prefix("light-dark(")
        .and_then(|v| v.strip_suffix(')'))
        .and_then(|v| v.split_once(','))
    {
        Some((light, night)) => if dark { night } else { light }.trim().to_string(),
        None => value.to_string(),
    }
}

fn points(edge: &Edge) -> String {
    edge.points
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where an arrow's label goes, and how it is anchored: beside the middle of a vertical
/// segment, or centred above a horizontal one (its longest segment either way).
fn label_at(edge: &Edge) -> (i32, i32, &'static str) {
    let longest = edge
        .points
        .windows(2)
        .max_by_key(|w| (w[1].0 - w[0].0).abs() + (w[1].1 - w[0].1).abs());
    match longest {
        Some([a, b]) if a.0 == b.0 => (a.0 + 6, (a.1 + b.1) / 2 + 4, "start"),
        Some([a, b]) => ((a.0 + b.0) / 2, a.1 - 6, "middle"),
        _ => (0, 0, "start"),
    }
}

fn shape_class(shape: Shape) -> &'static str {
    match shape {
        Shape::Start => "dg-node--start",
        Shape::Question => "dg-node--question",
        Shape::Outcome => "dg-node--outcome",
    }
}

/// What a box says to a screen reader or a tooltip.
fn describe(node: &Node) -> String {
    let mut text = node.title.clone();
    for line in &node.lines {
        let joint = if text.ends_with('?') { " " } else { ". " };
        text.push_str(&format!("{joint}{}", line.text));
    }
    if !node.in_force {
        text.push_str(" (not in force with these settings)");
    }
    if let Some(problem) = &node.problem {
        text.push_str(&format!(". {problem}"));
    }
    if let Some(count) = node.count {
        text.push_str(&format!(". {count} in the last import"));
    }
    text
}

/// The diagram, its text and its export buttons. `lit` lights a path (box ids in order);
/// `name` names the exported files (`<name>.svg`, `<name>.png`); `on_select`, if given, hears
/// the id of a box clicked or entered with the keyboard, or of the box a clicked line starts at.
#[component]
pub fn DiagramView(
    #[prop(into)] diagram: Signal<Diagram>,
    #[prop(into)] lit: Signal<Vec<&'static str>>,
    name: &'static str,
    #[prop(optional)] on_select: Option<Callback<String>>,
) -> impl IntoView {
    let focused = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let figure_ref = NodeRef::<leptos::html::Figure>::new();
    // Full screen, for a projector: the diagram scales to fill the screen (style/diagram.css).
    // The button's label follows the browser's own changes too (Esc leaves full screen):
    // `fullscreenchange` bubbles from the element up to the window.
    let full = RwSignal::new(false);
    let listener = window_event_listener_untyped("fullscreenchange", move |_| {
        let mine = figure_ref.get_untracked().map(|f| {
            let f: &web_sys::Element = f.as_ref();
            f.clone()
        });
        full.set(mine.is_some() && document().fullscreen_element() == mine);
    });
    on_cleanup(move || listener.remove());
    let toggle_full = move |_| {
        if document().fullscreen_element().is_some() {
            document().exit_fullscreen();
        } else if let Some(figure) = figure_ref.get_untracked() {
            let figure: &web_sys::Element = figure.as_ref();
            if figure.request_fullscreen().is_err() {
                notice.set(Some("This browser refused full screen.".into()));
            }
        }
    };
    let arrow = format!("dg-arrow-{name}");
    let title_id = format!("dg-title-{name}");

    let node_lit =
        move |id: &str| lit.with(|l| l.contains(&id)) || focused.with(|f| f.as_deref() == Some(id));
    let edge_lit = move |from: &str, to: &str| {
        lit.with(|l| l.windows(2).any(|w| w[0] == from && w[1] == to))
            || focused.with(|f| f.as_deref().is_some_and(|f| f == from || f == to))
    };

    let export = move |png: bool| {
        let Some(svg) = svg_ref.get_untracked() else {
            return;
        };
        let svg: &web_sys::Element = svg.as_ref();
        // The style goes in right after the opening tag; focus and lit marks belong to the
        // page, not to the file.
        let markup = svg
            .outer_html()
            .replacen('>', &format!("><style>{}</style>", resolved()), 1)
            .replace(" dg-node--lit", "")
            .replace(" dg-edge--lit", "");
        if !png {
            if crate::download(&format!("{name}.svg"), &markup, "image/svg+xml").is_err() {
                notice.set(Some("The browser refused the download.".into()));
            }
            return;
        }
        leptos::task::spawn_local(async move {
            if let Err(e) = png_download(name, &markup).await {
                notice.set(Some(format!(
                    "The PNG could not be made: {}",
                    e.as_string()
                        .unwrap_or_else(|| "the browser refused".into())
                )));
            }
        });
    };

    view! {
        <figure class="diagram" node_ref=figure_ref data-testid=format!("diagram-{name}")>
            <div class="diagram__canvas">
                {move || {
                    let d = diagram.get();
                    let arrow = arrow.clone();
                    let marker = format!("url(#{arrow})");
                    view! {
                        <svg node_ref=svg_ref xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {} {}", d.width, d.height)
                            width=d.width height=d.height class="dg" role="group" aria-labelledby=title_id.clone()>
                            <title id=title_id.clone()>{d.title.clone()}</title>
                            <defs>
                                <marker id=arrow markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">
                                    <path d="M0,0 L8,4 L0,8 z" class="dg-arrow"/>
                                </marker>
                            </defs>
                            {d.edges.iter().map(|e| {
                                let (from, to) = (e.from.clone(), e.to.clone());
                                let (lit_from, lit_to) = (e.from.clone(), e.to.clone());
                                let chosen = e.from.clone();
                                let (lx, ly, anchor) = label_at(e);
                                let label = match (e.label.as_str(), e.count) {
                                    ("", Some(c)) => c.to_string(),
                                    ("", None) => String::new(),
                                    (l, Some(c)) => format!("{l} · {c}"),
                                    (l, None) => l.to_string(),
                                };
                                let class = format!(
                                    "dg-edge{}{}{}",
                                    if e.in_force { "" } else { " dg-edge--off" },
                                    if e.dashed { " dg-edge--dashed" } else { "" },
                                    if e.problem.is_some() { " dg-edge--problem" } else { "" },
                                );
                                view! {
                                    <g class=class
                                        class:dg-edge--lit=move || edge_lit(&lit_from, &lit_to) data-from=from data-to=to
                                        on:click=move |_| if let Some(select) = on_select { select.run(chosen.clone()) }>
                                        <title>{e.problem.clone().unwrap_or_else(|| label.clone())}</title>
                                        // A wide, invisible copy of the line, so a pointer finds it.
                                        <polyline class="dg-hit" points=points(e)/>
                                        <polyline points=points(e) marker-end=marker.clone()/>
                                        <text class="dg-label" x=lx y=ly text-anchor=anchor>{label.clone()}</text>
                                    </g>
                                }
                            }).collect_view()}
                            {d.nodes.iter().map(|n| {
                                let id = n.id.clone();
                                let (lit_id, focus_id) = (n.id.clone(), n.id.clone());
                                let (clicked, entered) = (n.id.clone(), n.id.clone());
                                let count = n.count.map(|c| view! {
                                    <text class="dg-count" x=n.x + n.width - 10 y=n.y + 22 text-anchor="end">{c}</text>
                                });
                                view! {
                                    <g class=format!("dg-node {}{}{}", shape_class(n.shape), if n.in_force { "" } else { " dg-node--off" }, if n.problem.is_some() { " dg-node--problem" } else { "" })
                                        class:dg-node--lit=move || node_lit(&lit_id)
                                        tabindex="0" role="img" aria-label=describe(n) data-node=id
                                        on:focus=move |_| focused.set(Some(focus_id.clone())) on:blur=move |_| focused.set(None)
                                        on:click=move |_| if let Some(select) = on_select { select.run(clicked.clone()) }
                                        on:keydown=move |ev| if ev.key() == "Enter" { if let Some(select) = on_select { select.run(entered.clone()) } }>
                                        <rect x=n.x y=n.y width=n.width height=n.height rx=if n.shape == Shape::Question { 4 } else { 14 }/>
                                        <text class="dg-title" x=n.x + 10 y=n.y + 22>{n.title.clone()}</text>
                                        {count}
                                        {n.lines.iter().enumerate().map(|(i, l)| view! {
                                            <text class=if l.in_force { "dg-line" } else { "dg-line dg-line--off" }
                                                x=n.x + 12 y=n.y + 40 + 18 * i as i32>{l.text.clone()}</text>
                                        }).collect_view()}
                                    </g>
                                }
                            }).collect_view()}
                        </svg>
                    }
                }}
            </div>
            <figcaption>
                <details class="diagram__text">
                    <summary>"The diagram as text"</summary>
                    <ol data-testid=format!("diagram-{name}-text")>{move || diagram.with(|d| d.as_text()).into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ol>
                </details>
                <div class="toolbar">
                    <button class="button button--ghost" type="button" on:click=move |_| export(false)>"Export SVG"</button>
                    <button class="button button--ghost" type="button" on:click=move |_| export(true)>"Export PNG"</button>
                    <button class="button button--ghost" type="button" aria-pressed=move || full.get().to_string() on:click=toggle_full>
                        {move || if full.get() { "Leave full screen" } else { "Full screen" }}</button>
                </div>
                {move || notice.get().map(|t| view! { <p class="field-error" role="alert">{t}</p> })}
            </figcaption>
        </figure>
    }
}

/// Draws the SVG `markup` on a canvas at twice its size, on the theme's background, and offers
/// it as `<name>.png`.
async fn png_download(name: &str, markup: &str) -> Result<(), JsValue> {
    // A data: URL, which the page's Content-Security-Policy allows for images (`img-src 'self'
    // data:`), where a blob: URL would be refused.
    let url = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(markup))
    );
    let image = web_sys::HtmlImageElement::new()?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    JsFuture::from(loaded).await?;
    let scale = 2;
    let canvas: web_sys::HtmlCanvasElement = document().create_element("canvas")?.unchecked_into();
    canvas.set_width(image.natural_width() * scale);
    canvas.set_height(image.natural_height() * scale);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2D canvas"))?
        .unchecked_into();
    let background = document()
        .body()
        .and_then(|body| window().get_computed_style(&body).ok().flatten())
        .and_then(|style| style.get_property_value("background-color").ok())
        .unwrap_or_else(|| "white".into());
    context.set_fill_style_str(&background);
    context.fill_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    context.scale(f64::from(scale), f64::from(scale))?;
    context.draw_image_with_html_image_element(&image, 0.0, 0.0)?;
    let png = js_sys::Promise::new(&mut |resolve, _| {
        let callback = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob(callback.unchecked_ref());
    });
    let blob: web_sys::Blob = JsFuture::from(png).await?.dyn_into()?;
    crate::download_blob(&format!("{name}.png"), &blob)
}
