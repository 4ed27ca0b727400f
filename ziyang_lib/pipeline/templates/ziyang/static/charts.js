(function () {
  /* Draws every chart figure on the page. A figure being drawn gets the class "zy-plotting"
     (the stylesheet then shows its plot area instead of its note), and "zy-drawn" once drawn; a
     chart that cannot be drawn (plotly.js missing or failing) keeps its note. The chart's
     buttons, selects and sliders are page controls (HTML, each at least 40 px tall) that apply
     the figure's precomputed states with plotly's own methods (restyle, relayout, update).
     Marks <html data-ziyang-charts="N" data-ziyang-drawn="M"> once every chart has settled. */
  var figures = document.querySelectorAll("figure.zy-chart");
  var pending = [];
  var drawn = 0;
  var missing = typeof Plotly === "undefined";
  if (missing && figures.length) {
    console.error("ziyang: plotly.js did not load; charts show their text fallback");
  }
  function apply(div, state) {
    return Plotly[state.method].apply(null, [div].concat(state.args || []));
  }
  function wire(figure, div, controls) {
    figure.querySelectorAll("[data-zy-menu]").forEach(function (group) {
      var menu = controls.menus[Number(group.getAttribute("data-zy-menu"))];
      var select = group.querySelector("select");
      if (select) {
        select.addEventListener("change", function () {
          apply(div, menu[Number(select.value)]);
        });
        return;
      }
      var buttons = group.querySelectorAll("button");
      buttons.forEach(function (button) {
        button.addEventListener("click", function () {
          buttons.forEach(function (other) {
            other.setAttribute("aria-pressed", String(other === button));
          });
          apply(div, menu[Number(button.getAttribute("data-zy-item"))]);
        });
      });
    });
    figure.querySelectorAll("[data-zy-slider]").forEach(function (box) {
      var steps = controls.sliders[Number(box.getAttribute("data-zy-slider"))];
      var input = box.querySelector("input[type=range]");
      var output = box.querySelector("output");
      var note = box.querySelector(".zy-slider-note");
      input.addEventListener("input", function () {
        var step = steps[Number(input.value)];
        output.textContent = step.label;
        if (note) note.textContent = step.note || "";
        apply(div, step);
      });
    });
  }
  figures.forEach(function (figure) {
    var div = figure.querySelector(".zy-plot");
    var fail = function (e) {
      console.error("ziyang: chart " + div.dataset.chartId + " failed: " + e);
    };
    if (missing) {
      return;
    }
    try {
      var spec = JSON.parse(figure.querySelector("script.zy-plot-data").textContent);
      figure.classList.add("zy-plotting");
      pending.push(Plotly.newPlot(div, spec.data, spec.layout, spec.config).then(function () {
        wire(figure, div, spec.controls || { menus: [], sliders: [] });
        figure.classList.add("zy-drawn");
        drawn += 1;
      }, function (e) {
        figure.classList.remove("zy-plotting");
        fail(e);
      }));
    } catch (e) {
      figure.classList.remove("zy-plotting");
      fail(e);
    }
  });
  Promise.all(pending).then(function () {
    var root = document.documentElement;
    root.setAttribute("data-ziyang-drawn", String(drawn));
    root.setAttribute("data-ziyang-charts", String(figures.length));
  });
})();
