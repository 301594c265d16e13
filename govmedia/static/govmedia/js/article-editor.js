// 稿件正文编辑器：把 <div data-article-editor data-target="id_body" data-upload-url="…"> 变成 Quill 编辑器。
//
// Progressive enhancement: the form posts the <textarea> named by data-target. Without
// JavaScript (or if Quill fails to load) the textarea stays visible and is the editor; only once
// Quill is running is the textarea hidden, and from then on it receives the editor's HTML on every
// change and again on submit. The server sanitises whatever arrives (publishing/richtext.py).
//
// Images are never embedded as data: URLs. The toolbar's image button, a pasted image and a
// dropped image are all checked here (JPG/PNG/GIF, at most data-max-bytes, default 2 MB) and
// POSTed as multipart field "image" to data-upload-url with the CSRF token; the answer
// {"url": "…"} is inserted, an error answer {"code", "message", "field"} is shown as it is.
// No request goes anywhere else: Quill and its icons are served from our own static files.
(function () {
  "use strict";

  var ALLOWED_TYPES = ["image/jpeg", "image/png", "image/gif"];
  var DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

  // Toolbar tooltips (title and aria-label), by button class and value.
  var BUTTON_TITLES = {
    "ql-bold": "加粗",
    "ql-italic": "斜体",
    "ql-underline": "下划线",
    "ql-list[value=ordered]": "有序列表",
    "ql-list[value=bullet]": "无序列表",
    "ql-blockquote": "引用",
    "ql-link": "链接",
    "ql-image": "图片",
    "ql-clean": "清除格式"
  };
  var HEADER_TITLES = { "": "正文", "1": "标题1", "2": "标题2", "3": "标题3", "4": "标题4" };
  var ALIGN_TITLES = { "": "左对齐", center: "居中", right: "右对齐", justify: "两端对齐" };

  function formatMB(bytes) {
    var mb = bytes / (1024 * 1024);
    return (Math.round(mb * 10) / 10).toString() + " MB";
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i++) {
      var item = parts[i].trim();
      if (item.indexOf(name + "=") === 0) return decodeURIComponent(item.substring(name.length + 1));
    }
    return "";
  }

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!input) input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : readCookie("csrftoken");
  }

  // Quill 2.0.3 writes every space as &nbsp; (slab/quill#4509): keep one ordinary space per run
  // so text wraps, and &nbsp; only for the extra spaces of a run.
  function semanticHTML(quill) {
    if (quill.getLength() <= 1) return "";
    return quill.getSemanticHTML().replace(/(?:&nbsp;)+/g, function (run) {
      return " " + run.substring(6);
    });
  }

  function dataURLToBlob(url) {
    var match = /^data:([^;,]+)(;base64)?,(.*)$/i.exec(url);
    if (!match || !match[2]) return null;
    try {
      var bytes = atob(match[3]);
      var array = new Uint8Array(bytes.length);
      for (var i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
      return new Blob([array], { type: match[1].toLowerCase() });
    } catch (e) {
      return null;
    }
  }

  function safeImageURL(url) {
    return typeof url === "string" && (/^https?:\/\//i.test(url) || /^\/(?![\/\\])/.test(url));
  }

  var quillPatched = false;
  function patchQuill(Quill) {
    if (quillPatched) return;
    quillPatched = true;
    // Alignment as style="text-align: …", the one style the server keeps (classes are dropped).
    Quill.register(Quill.import("attributors/style/align"), true);
    // Links: http(s) or a site path, as the server allows; a bare "www.gov.cn" gets "https://".
    var Link = Quill.import("formats/link");
    var sanitize = Link.sanitize;
    Link.PROTOCOL_WHITELIST = ["http", "https"];
    Link.sanitize = function (url) {
      var value = String(url || "").trim();
      if (value && value.charAt(0) !== "/" && !/^[a-z][a-z0-9+.-]*:/i.test(value)) value = "https://" + value;
      return sanitize.call(this, value);
    };
  }

  function setup(container) {
    var Quill = window.Quill;
    var textarea = document.getElementById(container.getAttribute("data-target") || "");
    if (!Quill || !textarea || container.getAttribute("data-editor-ready")) return;
    var form = textarea.form;
    var uploadURL = container.getAttribute("data-upload-url") || "";
    var maxBytes = parseInt(container.getAttribute("data-max-bytes"), 10) || DEFAULT_MAX_BYTES;
    var required = textarea.required;
    var uploading = 0;
    var loading = true;
    var pastedImages = [];

    var status = document.createElement("p");
    status.className = "article-editor-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.hidden = true;

    function say(message, isError) {
      status.textContent = message || "";
      status.hidden = !message;
      status.classList.toggle("error", !!isError);
    }

    var quill;
    var Delta;
    try {
      patchQuill(Quill);
      Delta = Quill.import("delta");
      var surface = document.createElement("div");
      container.insertBefore(surface, container.firstChild); // any help text in it stays below
      container.hidden = false;
      quill = new Quill(surface, {
        theme: "snow",
        bounds: container,
        placeholder: container.getAttribute("data-placeholder") || "请输入正文……",
        formats: ["header", "bold", "italic", "underline", "strike", "list", "blockquote", "link", "image", "align"],
        modules: {
          toolbar: {
            container: [
              [{ header: [1, 2, 3, 4, false] }],
              ["bold", "italic", "underline"],
              [{ list: "ordered" }, { list: "bullet" }],
              ["blockquote", "link", "image"],
              [{ align: [] }],
              ["clean"]
            ],
            handlers: { image: chooseImage }
          },
          // Dropped files (and pasted files without HTML) come here instead of becoming data: URLs.
          // Every image type is let through so that a wrong one gets a message, not silence.
          uploader: {
            mimetypes: ALLOWED_TYPES.concat(["image/webp", "image/bmp", "image/svg+xml", "image/tiff", "image/heic", "image/avif"]),
            handler: function (range, files) { uploadAll(files, range ? range.index : null); }
          },
          clipboard: { matchers: [["IMG", matchImage]] }
        }
      });
    } catch (error) {
      container.hidden = true;
      if (window.console) window.console.error("正文编辑器未能加载，继续使用文本框：", error);
      return;
    }

    // Pasted HTML: a data: image is uploaded (after the paste) instead of embedded; an image with
    // any other non-web address (file:, blob:, cid: …) cannot be shown to readers and is dropped.
    function matchImage(node, delta) {
      var src = node.getAttribute("src") || "";
      if (safeImageURL(src)) return delta;
      if (!loading && /^data:/i.test(src)) {
        var blob = dataURLToBlob(src);
        if (blob) pastedImages.push(blob);
      }
      return new Delta();
    }

    function sync() {
      textarea.value = semanticHTML(quill);
    }

    function check(file) {
      if (ALLOWED_TYPES.indexOf((file.type || "").toLowerCase()) < 0) {
        return "只能上传 JPG、PNG、GIF 格式的图片" + (file.name ? "（" + file.name + "）" : "") + "。";
      }
      if (file.size > maxBytes) {
        return "图片不能超过 " + formatMB(maxBytes) + "（所选图片 " + formatMB(file.size) + "）。";
      }
      return "";
    }

    function upload(file, index) {
      var problem = check(file);
      if (problem) return Promise.reject(new Error(problem));
      if (!uploadURL) return Promise.reject(new Error("未配置图片上传地址，无法插入图片。"));
      var body = new FormData();
      var extension = { "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif" }[file.type];
      body.append("image", file, file.name || "粘贴的图片" + extension);
      uploading += 1;
      say("图片上传中……");
      return fetch(uploadURL, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "X-Requested-With": "XMLHttpRequest", Accept: "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (answer) {
          if (response.ok && answer && safeImageURL(answer.url)) {
            var at = index == null ? quill.getLength() - 1 : Math.min(index, quill.getLength() - 1);
            quill.insertEmbed(at, "image", answer.url, "user");
            quill.setSelection(at + 1, 0, "silent");
            return at + 1;
          }
          var message = answer && answer.message ? answer.message : "图片上传失败（HTTP " + response.status + "），请稍后重试。";
          throw new Error(message);
        });
      }, function () {
        throw new Error("网络连接失败，图片未上传，请检查网络后重试。");
      }).then(function (at) {
        uploading -= 1;
        return at;
      }, function (error) {
        uploading -= 1;
        throw error;
      });
    }

    // One after another, so images land in the order they were chosen.
    function uploadAll(files, index) {
      var list = Array.prototype.slice.call(files || []);
      var failed = "";
      var chain = Promise.resolve(index);
      list.forEach(function (file) {
        chain = chain.then(function (at) {
          return upload(file, at).catch(function (error) {
            failed = error.message;
            return at;
          });
        });
      });
      return chain.then(function () { say(failed, !!failed); });
    }

    function chooseImage() {
      var range = quill.getSelection(true);
      var input = document.createElement("input");
      input.type = "file";
      input.accept = ALLOWED_TYPES.join(",");
      input.addEventListener("change", function () {
        if (input.files && input.files.length) uploadAll(input.files, range ? range.index : null);
      });
      input.click();
    }

    // A pasted image (a screenshot, a copied picture) goes to the server before Quill sees the
    // paste; data: images inside pasted HTML are collected by matchImage and uploaded once the
    // paste is in. Text copied from Word comes with a picture of itself as a file too: when the
    // pasted HTML has text, the HTML is what is meant, as Quill itself decides.
    function onlyImages(html) {
      var body = new DOMParser().parseFromString(html, "text/html").body;
      return !body.textContent.trim() && !!body.querySelector("img");
    }
    quill.root.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      var files = data && data.files ? Array.prototype.slice.call(data.files) : [];
      var images = files.filter(function (file) { return /^image\//i.test(file.type || ""); });
      var html = data ? data.getData("text/html") : "";
      if (images.length && (!html || onlyImages(html))) {
        event.preventDefault();
        var range = quill.getSelection(true);
        uploadAll(images, range ? range.index : null);
        return;
      }
      pastedImages = [];
      setTimeout(function () {
        var blobs = pastedImages;
        pastedImages = [];
        if (blobs.length) {
          var range = quill.getSelection();
          uploadAll(blobs, range ? range.index : null);
        }
      }, 0);
    }, true);

    // Tooltips and labels in Chinese.
    var toolbar = quill.getModule("toolbar").container;
    toolbar.setAttribute("aria-label", "正文格式");
    Object.keys(BUTTON_TITLES).forEach(function (selector) {
      var css = "." + selector.replace(/\[value=(\w+)\]/, '[value="$1"]');
      toolbar.querySelectorAll("button" + css).forEach(function (button) {
        button.title = BUTTON_TITLES[selector];
        button.setAttribute("aria-label", BUTTON_TITLES[selector]);
      });
    });
    function titlePicker(name, label, titles) {
      var picker = toolbar.querySelector(".ql-picker.ql-" + name);
      if (!picker) return;
      var head = picker.querySelector(".ql-picker-label");
      head.title = label;
      head.setAttribute("aria-label", label);
      picker.querySelectorAll(".ql-picker-item").forEach(function (item) {
        var title = titles[item.getAttribute("data-value") || ""];
        if (title) {
          item.title = title;
          item.setAttribute("aria-label", title);
        }
      });
    }
    titlePicker("header", "标题", HEADER_TITLES);
    titlePicker("align", "对齐", ALIGN_TITLES);
    var tooltipInput = container.querySelector(".ql-tooltip input[type=text]");
    if (tooltipInput) {
      tooltipInput.setAttribute("data-link", "https://");
      tooltipInput.setAttribute("aria-label", "链接地址");
    }
    var label = textarea.id ? document.querySelector('label[for="' + textarea.id + '"]') : null;
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    quill.root.setAttribute("aria-label", label ? label.textContent.trim() : "正文");
    if (label) label.addEventListener("click", function () { quill.focus(); });

    // Start from what the textarea holds (a saved revision, or what the server sent back with
    // a form error), then hand over: the textarea is hidden and follows the editor.
    if (textarea.value) {
      quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
      quill.history.clear();
    }
    loading = false;
    sync(); // what is posted is what the editor shows
    container.parentNode.insertBefore(status, container.nextSibling);
    textarea.hidden = true;
    textarea.required = false; // a hidden required field would block the submit without a word
    container.setAttribute("data-editor-ready", "1");
    quill.on("text-change", sync);

    if (form) {
      form.addEventListener("submit", function (event) {
        sync();
        if (uploading > 0) {
          event.preventDefault();
          event.stopImmediatePropagation();
          say("图片正在上传，请等上传完成后再提交。", true);
        } else if (required && !quill.getText().trim() && !quill.root.querySelector("img")) {
          event.preventDefault();
          event.stopImmediatePropagation();
          say("请填写正文。", true);
          quill.focus();
        }
      }, true);
    }
  }

  function init(root) {
    (root || document).querySelectorAll("[data-article-editor]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  window.govmediaArticleEditor = { init: init };
})();
