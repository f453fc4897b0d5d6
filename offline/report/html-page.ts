/**
 * The HTML report's inline stylesheet and script. The script reads the JSON data element, draws only the
 * visible window of the matrix (rows = accounts grouped by OU, columns = groups and unmanaged principals;
 * fixed cell size, so 1,000 × 200 keeps a few hundred cells in the DOM), and sets text with `textContent` only.
 */

/** Cell colours by level (also asserted by the browser test). */
export const LEVEL_COLOURS: Readonly<Record<string, string>> = {
    read: "rgb(46, 125, 50)",
    conditional: "rgb(249, 168, 37)",
    write: "rgb(239, 108, 0)",
    admin: "rgb(198, 40, 40)",
};

/** Inline CSS. */
export const HTML_PAGE_STYLE = `
body{font:13px/1.4 system-ui,sans-serif;margin:0;padding:0 16px 32px;color:#1b1b1b;background:#fafafa}
h1{font-size:18px;margin:12px 0 2px}h2{font-size:15px;margin:18px 0 6px}
#filters{display:flex;gap:16px;align-items:center;margin:8px 0;flex-wrap:wrap}
#legend span{display:inline-block;margin-right:12px}#legend i{display:inline-block;width:14px;height:14px;vertical-align:middle;margin-right:4px;box-sizing:border-box}
#matrix-wrap{position:relative;display:grid;grid-template-columns:260px 1fr;grid-template-rows:140px 1fr;height:70vh;border:1px solid #ccc;background:#fff}
#corner{grid-row:1;grid-column:1;padding:6px;color:#666;border-right:1px solid #ddd;border-bottom:1px solid #ddd}
#colhead{grid-row:1;grid-column:2;overflow:hidden;position:relative;border-bottom:1px solid #ddd}
#rowhead{grid-row:2;grid-column:1;overflow:hidden;position:relative;border-right:1px solid #ddd}
#matrix{grid-row:2;grid-column:2;overflow:auto;position:relative}
#colhead-inner,#rowhead-inner,#matrix-inner{position:relative}
.ch{position:absolute;bottom:4px;width:28px;height:130px;writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:11px}
.ch.unm{color:#6a1b9a;font-weight:600}
.rh{position:absolute;left:0;right:0;height:22px;line-height:22px;padding:0 6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.rh.ou{background:#eceff1;font-weight:600}
.c{position:absolute;width:26px;height:20px;margin:1px;box-sizing:border-box;cursor:pointer}
.L0{background:rgb(46, 125, 50)}.L1{background:rgb(249, 168, 37)}.L2{background:rgb(239, 108, 0)}.L3{background:rgb(198, 40, 40)}
.c.u{outline:3px solid rgb(106, 27, 154);outline-offset:-3px}
.c.x{border:3px dashed rgb(21, 101, 192)}
.ourow{position:absolute;left:0;height:22px;background:#eceff1}
#detail{min-height:20px;margin:8px 0;padding:6px;background:#fff;border:1px solid #ddd}
#verdict-list li.mandatory{color:#b71c1c;font-weight:600}#verdict-list li.advisory{color:#8d6e00}
#unmanaged-list li{color:#6a1b9a}#unmanaged-list li.admin{font-weight:700;color:#b71c1c}
details{margin:2px 0}summary{cursor:pointer}
`;

/** Inline script (no external references; text only through textContent). */
export const HTML_PAGE_SCRIPT = `
(function(){
"use strict";
var D=JSON.parse(document.getElementById("idfed-data").textContent);
var RH=22,CW=28;
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined)e.textContent=text;return e;}
var names=["read","conditional","write","admin-level"];
var legend=document.getElementById("legend");
names.forEach(function(n,i){var s=el("span");var sw=el("i","L"+i);s.appendChild(sw);s.appendChild(document.createTextNode(n));legend.appendChild(s);});
var su=el("span");var iu=el("i","L0 u");iu.style.outline="3px solid rgb(106, 27, 154)";su.appendChild(iu);su.appendChild(document.createTextNode("unmanaged"));legend.appendChild(su);
var sx=el("span");var ix=el("i","x");ix.style.border="3px dashed rgb(21, 101, 192)";sx.appendChild(ix);sx.appendChild(document.createTextNode("expiring soon"));legend.appendChild(sx);
var P=D.principals.length;
var cellMap=new Map();
D.cells.forEach(function(c){var k=c[0]*P+c[1];var l=cellMap.get(k);if(!l){l=[];cellMap.set(k,l);}l.push(c);});
var fOu=document.getElementById("f-ou"),fPs=document.getElementById("f-ps"),fGroup=document.getElementById("f-group");
D.ous.forEach(function(o,i){var op=el("option",null,o||"(root)");op.value=String(i);fOu.appendChild(op);});
D.permissionSets.forEach(function(p,i){var op=el("option",null,p);op.value=String(i);fPs.appendChild(op);});
var rows=[],cols=[];
function entries(a,p){var l=cellMap.get(a*P+p);if(!l)return null;var ps=fPs.value;if(ps==="")return l;var n=+ps;var out=l.filter(function(c){return c[2]===n;});return out.length?out:null;}
function rebuild(){
  var ou=fOu.value,g=fGroup.value.trim().toLowerCase(),ps=fPs.value;
  cols=[];for(var p=0;p<P;p++){if(g&&D.principals[p][0].toLowerCase().indexOf(g)<0)continue;cols.push(p);}
  var accts=[];for(var a=0;a<D.accounts.length;a++){if(ou!==""&&String(D.accounts[a][2])!==ou)continue;accts.push(a);}
  if(ps!==""||g){
    var usedA=new Set(),usedP=new Set();
    accts.forEach(function(a){cols.forEach(function(p){if(entries(a,p)){usedA.add(a);usedP.add(p);}});});
    accts=accts.filter(function(a){return usedA.has(a);});
    if(ps!=="")cols=cols.filter(function(p){return usedP.has(p);});
  }
  rows=[];var last=-1;accts.forEach(function(a){var o=D.accounts[a][2];if(o!==last){rows.push({ou:o});last=o;}rows.push({a:a});});
  document.getElementById("count").textContent=accts.length+" accounts \\u00d7 "+cols.length+" principals";
  var w=cols.length*CW,h=rows.length*RH;
  mi.style.width=w+"px";mi.style.height=h+"px";chi.style.width=(w+40)+"px";chi.style.height="140px";rhi.style.height=(h+40)+"px";
  draw(true);
}
var m=document.getElementById("matrix"),mi=document.getElementById("matrix-inner"),ch=document.getElementById("colhead"),chi=document.getElementById("colhead-inner"),rh=document.getElementById("rowhead"),rhi=document.getElementById("rowhead-inner");
var drawn="";
function draw(force){
  var r0=Math.max(0,Math.floor(m.scrollTop/RH)-5),r1=Math.min(rows.length,Math.ceil((m.scrollTop+m.clientHeight)/RH)+5);
  var c0=Math.max(0,Math.floor(m.scrollLeft/CW)-5),c1=Math.min(cols.length,Math.ceil((m.scrollLeft+m.clientWidth)/CW)+5);
  var key=r0+","+r1+","+c0+","+c1;
  ch.scrollLeft=m.scrollLeft;rh.scrollTop=m.scrollTop;
  if(!force&&key===drawn)return;drawn=key;
  mi.textContent="";chi.textContent="";rhi.textContent="";
  for(var j=c0;j<c1;j++){var p=cols[j];var pr=D.principals[p];var hd=el("div","ch"+(pr[1]?"":" unm"),(pr[2]?"user ":"")+pr[0]);hd.style.left=(j*CW)+"px";hd.title=pr[0];chi.appendChild(hd);}
  for(var i=r0;i<r1;i++){
    var row=rows[i];
    if(row.ou!==undefined){var oh=el("div","rh ou",D.ous[row.ou]||"(root)");oh.style.top=(i*RH)+"px";rhi.appendChild(oh);
      var band=el("div","ourow");band.style.top=(i*RH)+"px";band.style.width=(cols.length*CW)+"px";mi.appendChild(band);continue;}
    var ac=D.accounts[row.a];var r=el("div","rh",ac[1]+" "+ac[0]);r.style.top=(i*RH)+"px";r.title=ac[1]+" "+ac[0];rhi.appendChild(r);
    for(var j2=c0;j2<c1;j2++){
      var e=entries(row.a,cols[j2]);if(!e)continue;
      var lv=0,fl=0,t=[];e.forEach(function(c){if(c[3]>lv)lv=c[3];fl|=c[4];t.push(D.permissionSets[c[2]]+" ("+names[c[3]]+(c[4]&1?", unmanaged":"")+(c[4]&2?", expiring soon":"")+")");});
      var cell=el("div","c L"+lv+(fl&1?" u":"")+(fl&2?" x":""));
      cell.style.top=(i*RH)+"px";cell.style.left=(j2*CW)+"px";cell.title=t.join("; ");
      cell.setAttribute("data-account",ac[0]);cell.setAttribute("data-principal",D.principals[cols[j2]][0]);cell.setAttribute("data-level",names[lv]);
      cell.addEventListener("click",(function(a,p,txt){return function(){document.getElementById("detail").textContent=D.principals[p][0]+" in "+a[1]+" "+a[0]+": "+txt;};})(ac,cols[j2],t.join("; ")));
      mi.appendChild(cell);
    }
  }
}
var pending=false;
m.addEventListener("scroll",function(){if(pending)return;pending=true;requestAnimationFrame(function(){pending=false;draw(false);});});
window.addEventListener("resize",function(){draw(true);});
fOu.addEventListener("change",rebuild);fPs.addEventListener("change",rebuild);fGroup.addEventListener("input",rebuild);
var vl=document.getElementById("verdict-list");
if(!D.verdicts.length)vl.appendChild(el("li",null,"none"));
D.verdicts.forEach(function(v){vl.appendChild(el("li",v.level,v.level.toUpperCase()+" "+v.policy+": "+v.message));});
var ul=document.getElementById("unmanaged-list");
if(!D.unmanaged.length)ul.appendChild(el("li",null,"none"));
D.unmanaged.forEach(function(u){ul.appendChild(el("li",u.indexOf("ADMIN")===0?"admin":null,u));});
var dl=document.getElementById("dangerous-list");
if(!D.dangerous.length)dl.appendChild(el("p",null,"none"));
D.dangerous.forEach(function(d){
  var det=el("details");var n=d[2].length;det.appendChild(el("summary",null,d[0]+": "+d[1]+" \\u2014 "+(n?n+" principal/permission set pair"+(n===1?"":"s"):"nobody")));
  var list=el("ul");d[2].forEach(function(x){var ac=x[3].slice(0,30).map(function(i){return D.accounts[i][1];}).join(", ")+(x[3].length>30?" and "+(x[3].length-30)+" more":"");
    list.appendChild(el("li",null,(D.principals[x[0]][2]?"user ":"group ")+D.principals[x[0]][0]+(D.principals[x[0]][1]?"":" [UNMANAGED]")+" via "+x[1]+" ("+x[2]+"): "+x[3].length+" account(s): "+ac));});
  det.appendChild(list);dl.appendChild(det);
});
rebuild();
window.idfedReady=true;
})();
`;
