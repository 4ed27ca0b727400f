(function () {
  /* ziyang tables: sort by a column, filter by text and by the selects above a table (no
     dependency, nothing fetched). The page's Content-Security-Policy allows this script through
     its hash. Without it every table is still a plain, searchable HTML table. */
  var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
  function cellValue(row, index, numeric) {
    var td = row.cells[index];
    if (!td) return numeric ? -Infinity : "";
    if (numeric) {
      var key = td.getAttribute("data-sort");
      return key === null || key === "" ? -Infinity : parseFloat(key);
    }
    return td.textContent.trim();
  }
  function setUp(wrap) {
    var table = wrap.querySelector("table.zy-table");
    var tools = wrap.querySelector(".zy-table-tools");
    if (!table || !tools) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var search = tools.querySelector("input[type=search]");
    var selects = Array.prototype.slice.call(tools.querySelectorAll("select[data-filter]"));
    var count = tools.querySelector(".zy-table-count");
    function apply() {
      var needle = search ? search.value.trim().toLowerCase() : "";
      var shown = 0;
      rows.forEach(function (row) {
        var keep = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
        selects.forEach(function (select) {
          var wanted = select.value;
          if (wanted && row.getAttribute("data-filter-" + select.dataset.filter) !== wanted) {
            keep = false;
          }
        });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      if (count) {
        count.textContent = count.dataset.of
          .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
      }
    }
    selects.forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var n = rows.filter(function (row) {
          return row.getAttribute("data-filter-" + select.dataset.filter) === option.value;
        }).length;
        option.textContent += " (" + n + ")";
      });
      select.addEventListener("change", apply);
    });
    if (search) search.addEventListener("input", apply);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var numeric = th.hasAttribute("data-numeric");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "zy-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
          other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.slice().sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          var order = numeric ? (x < y ? -1 : x > y ? 1 : 0) : collator.compare(x, y);
          return ascending ? order : -order;
        }).forEach(function (row) { body.appendChild(row); });
      });
    });
    tools.hidden = false;
    wrap.classList.add("zy-sortable");  // a phone then shows the sort buttons too
    apply();
  }
  document.querySelectorAll(".zy-table-wrap").forEach(setUp);
  document.documentElement.setAttribute("data-ziyang-tables", "ready");
})();
