function e(e,n){if(n.length<2e4||!/\.[cm]?js$/i.test(e))return!1;let r=1;for(let e=n.indexOf(`
`);e>=0;e=n.indexOf(`
`,e+1))r++;return n.length/r>300||t.test(n.slice(0,3e3))}const t=/\bdefine\.amd\b|__webpack_require__|__webpack_modules__/;Object.defineProperty(exports,"t",{enumerable:!0,get:function(){return e}});