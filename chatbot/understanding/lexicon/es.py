"""Spanish. Weights: 3 decides on its own, 2 strong, 1 supporting. Format: see lexicon/__init__.py."""

LEXICON = {
    "greeting": """
        2: hola | buenas | buenos dias | buenas tardes | buenas noches | que tal | saludos | hola a todos | holi
        2: hay alguien
    """,
    "thanks": """
        2.5: gracias | muchas gracias | mil gracias | muchisimas gracias | te lo agradezco | os lo agradezco
        2: ya funciona | vuelve a funcionar | funciona de nuevo | solucionado | resuelto | eso es todo | nada mas
        2: adios | hasta luego | hasta pronto | que tengas buen dia | buen dia | perfecto | genial | estupendo
        1.5: vale | ok | de acuerdo | listo | chao
        2: todo correcto | todo bien | ya va | funciona perfectamente | problema resuelto | ya esta
    """,
    "human": """
        3: devolverme la llamada | devolver la llamada | devolvernos la llamada
        3: hablar con una persona | con una persona | con un humano | persona real | un agente | un operador
        3: con alguien de soporte | hablar con alguien | con un tecnico | no quiero hablar con un bot | con un bot
        3: que me llamen | llamarme | me llameis | me llamen | llamada telefonica | por telefono con | un comercial
        3: llamarme alguien | alguien de soporte
        2: humano | persona | agente | operador* | asesor*
        3: me atienda | atender una persona | atencion humana | con alguien | una persona de verdad | con un agente
        3: humano
        3: alguien de verdad | alguien real | persona de verdad | una persona real
    """,
    "faq.response_time": """
        3: tiempo de respuesta | tiempos de respuesta | cuanto tardais en responder | cuanto tardan en responder
        3: cuanto tardais en contestar | cuanto tardan en contestar | en cuanto tiempo me | acuse de recibo
        3: cuando me respond* | cuando recibire respuesta | cuanto se tarda en recibir respuesta
        2: sla
        2.5: en cuanto tiempo | respond* rapido | primera respuesta
        1: rapidez
        1.5: respuesta | contestar | responder | tardais | tardan
        3: cuando me contestais | cuanto tardan en atender | en cuanto tiempo responden | en cuanto tiempo contestan
        2: responden | contestan
        3: plazo de respuesta | plazo maximo de respuesta | tiempo maximo de respuesta
        1.5: plazo
        3: responder | contestar | contestais | respondeis
        2: respuesta
        -3: dejo de responder | deja de responder | dejaron de responder | dejado de responder
        5: cuanto ... contest* | cuanto ... respond* | en cuanto tiempo ... respond* | en cuanto tiempo ... contest*
    """,
    "faq.contact": """
        3: email de soporte | correo de soporte | direccion de correo | correo electronico | numero de telefono
        3: como contactar | como puedo contactar | contactar con soporte | contactaros | contactar con vosotros
        3: solo el chat | el chat es | chat 24 | telefono de soporte | linea telefonica | algun email | algun correo
        3: 24 horas | chat las 24
        2: contacto | contactar | canales | canal | email | correo | telefono
        1.5: chat
        3: numero de telefono | telefono de contacto | se os puede llamar | puedo llamar | escribiros
        3: algun numero | pueda llamar | puedo llamar | numero al que
        2: llamar
        2.5: solo por | solo el chat | unicamente por
        5: chat ... noche | chat ... fin de semana | chat ... disponible | chat ... atendido | chat ... funciona
    """,
    "faq.hours": """
        3: horario | horarios | a que hora | hasta que hora | desde que hora | que horas | esta abierto | a que hora abre
        2: abre | abren
        2: trabaja | trabajan | por la noche | de noche
        3: estan disponibles | esta disponible | fin de semana | los sabados | los domingos | dias festivos
        3: atienden | trabajan los | horario de atencion | departamento de facturacion esta | ahora mismo
        2: disponible* | abierto | cerrado | festivo*
        2.5: sabados | domingos | festivos | a partir de que hora
        3: cierra | cierran | cerrais | a mediodia
        1: lunes | martes | miercoles | jueves | viernes | sabado | domingo
        2.5: los lunes | los martes | los miercoles | los jueves | los viernes | entre semana | dias laborables
    """,
    "faq.escalation": """
        3: escalad* | escalar | escalacion | derivad* | transferid* a | pasado a otro | reenviad* a otro
        3: tengo que volver a | debo volver a | tengo que abrir otro | segundo nivel | que implica | a otro departamento
        3: pasado mi consulta | han pasado | otro equipo
        2.5: nivel 2
        2: transferid* | por mi parte | hacer algo | que significa
        3: pasa a ~ administrador* | pasa a otro | pasa al equipo | pasado a | abrir otro ticket | sigo en el mismo | se ha transferido
        2: otro equipo | otro departamento | nuevo ticket
    """,
    "faq.resolution_time": """
        3: cuanto se tarda en | cuanto tarda en | cuanto tardais en sustituir | cuanto tardais en cambiar
        3: cuanto tardais en reparar | cuanto tardais en resolver | tiempo de resolucion | tiempo de reparacion
        3: cuanto suele tardar | suele tardar | cuanto dura | cuanto tiempo lleva | cuanto tiempo se tarda | cuanto se tarda
        3: suele llevar | cuanto tarda
        2: normalmente | por lo general | de media | cuanto tiempo
        1.5: tarda
        3: cuanto tiempo
        3: cuanto tardais en | cuanto tardan en ~ reemplazar | cuanto tardan en ~ cambiar
        5: cuanto ... reemplaz* | cuanto ... repar* | cuanto ... resolv* | cuanto ... sustitu* | cuanto ... solucion* | mas o menos cuanto | cuanto ... en tenerla | cuanto ... en tenerlo
    """,
    "faq.notifications": """
        3: avisos | aviso de mantenimiento | notificacion* | pagina de estado | alertas | me avisais | avisar
        3: recibir los avisos | informados
        2.5: mantenimientos programados | mantenimiento programado
        2: mantenimiento* | otro correo | direccion de aviso
        3: donde ... avisos | adonde llegan | donde llegan | a donde llegan
    """,
    "faq.ticket": """
        3: abrir un ticket | crear un ticket | abro un ticket | que departamento | cual departamento | que prioridad
        3: que categoria | que tipo de ticket | como abro | como abrir | como creo | elijo | debo elegir
        2: prioridad | departamento | categoria | elegir | seleccionar
        3: donde ... ticket | donde se abre | donde abro | donde puedo abrir | como ... abrir ~ ticket | donde ... incidencia
        2: abrir ~ ticket | crear ~ ticket | abrir una incidencia
    """,
    "faq.incident_info": """
        3: que informacion | que datos | que tengo que pasar | que debo indicar | que debo incluir | que hay que indicar
        3: que os tengo que | que necesitais | que detalles
        2: reportar un incidente | incidente grave | en caso de caida | en caso de incidente | critico
        3: debemos incluir | hay que incluir | que incluir
        2: incluir
        3: que info* | que os tengo que pasar | que teneis que tener | que necesitais saber | que debo poner | que pongo en el ticket | que tengo que poner | que hay que poner | que datos necesitais
    """,
    "billing.charge": """
        3: cobrado dos veces | doble cargo | cargo duplicado | cobro duplicado | dos facturas | factura duplicada
        3: importe incorrecto | importe erroneo | me habeis cobrado | cobro de mas | iva | pago no aparece
        3: no aparece el pago | no se refleja | no reflejado | rectificar | factura rectificativa | nif
        1.5: factura* | cargo* | cobr* | importe | pago* | facturacion
        3: factura incorrecta | no he recibido la factura | error en la factura | cobrado de mas
        2: he pagado | hemos pagado | en la factura
        3: ya he pagado | ya pague | pague la factura | pagamos la factura | pendiente de pago | impagad* | suspendido por impago | por falta de pago | a pesar del pago | a pesar de haber pagado
        3: datos de facturacion | razon social | corregir la factura | nombre de la empresa | direccion de facturacion
        2: transferencia | por transferencia
    """,
    "billing.refund": """
        3: reembols* | devolucion | devolver el dinero | devuelvan | me devolvais | pago rechazado | error en el pago
        3: error al pagar | no puedo pagar | pasarela de pago | el pago falla | falla el pago | pago fallido
        2: cancelar el pedido | desistimiento | anular el pedido
        3: no me deja pagar | el pago no pasa | devolucion del importe | me devolvais
        3: pago ~ da error | no se completa | da error al pagar
        2: da error
        2: paypal | stripe | 3ds | 3d secure
        -3: devolver* ~ llamada | devolverme la llamada
        3: devolver* | devuelv* | devolverme | me da error ~ pago | rechaza la tarjeta | rechaza mi tarjeta | tarjeta ~ rechazada | payment failed | no se procesa
        3: recuperar mi dinero | recuperar el dinero | recuperar ~ dinero
    """,
    "billing.credit": """
        3: abono | abonar | compensacion | compensar | indemniz* | excepcion | aplazar el pago | aplazamiento
        3: no suspender | no suspendais | prorroga | ampliar el plazo | aprobacion | descuento especial
        3: segun el sla | segun vuestro sla | dias mas para pagar | mas plazo | mas tiempo para pagar | descuento por
        2.5: por la caida | por la averia | por el corte | debido a la caida
        2: descuento | bonificacion | credito | suspen*
        -2: tarjeta de credito
        3: pagar a ~ dias | a 60 dias | a 90 dias | fraccionar el pago | pagar en plazos | aplazar
        -2: suspendido por impago | por falta de pago
        3: condonar | condonacion | perdonar ~ comision | perdonar ~ recargo | eximir | exencion | anular ~ recargo | quitar ~ comision | recargo por demora | cuota de alta | gastos de alta | gastos de instalacion
    """,
    "outage": """
        3: no responde | no responden | esta caido | esta caida | lleva caido | todo caido | no va nada
        3: fuera de servicio | inaccesible | sin acceso | no hay ping | no hay acceso | no carga nada | no arranca
        3: no levanta | totalmente | completamente caido | todo caido | nada funciona | no funciona nada
        2.5: no funciona | no va | no carga | offline | down | sin conexion | no conecta | no accesible
        1.5: completamente | todos nuestros clientes | ningun servicio
        -3: no del todo | a veces | de vez en cuando | intermitente*
        3: sin servicio | no hay servicio | no funciona nada | no puedo acceder al servidor | no conecta
        3: no da senales de vida | sin senales de vida | por ssh | no da senal
        3: dejo de responder | deja de responder | dejaron de responder | ha dejado de responder | dejado de responder | dejo de funcionar | ha dejado de funcionar | fuera de linea | esta apagado | se ha apagado | se apago | no enciende | se reinicia en bucle
        -3: el servidor funciona | funciona con normalidad | funciona bien | sigue funcionando | el resto funciona
        3: servidor ~ muerto | servidor ~ caido | servidor ~ se ha caido | servidor ~ se cayo | vps ~ caido
        3: no responde nada | no va nada | ha dejado de ir | no tira
    """,
    "failed": """
        2.5: caido | caida | se ha caido | se cayo | se cae | averiad* | muerto | roto
    """,
    "hypothetical": """
        1: si el servidor | si mi | si se cae | si tenemos | en caso de | cuando se cae | cuando un servidor
    """,
    "past": """
        1: la semana pasada | el mes pasado | del mes pasado | de la semana pasada | el pasado | pasado martes | pasado lunes
    """,
    "tech.outage": """
        2: urgente | urgencia | critico
        1: incidencia
    """,
    "tech.performance": """
        3: lento | lenta | lentos | lentas | lentisim* | lentitud | latencia | perdida de paquetes | va muy lento | ralentiz*
        3: tarda mucho en cargar | carga de la cpu | cpu al 100 | tarda ~ en cargar | tarda muchisimo
        3: ping alto | ping muy alto | ancho de banda | rendimiento bajo | va fatal
        2: iowait | carga de cpu | rendimiento | timeout* | cortes
        3: va lento | tarda en cargar | se ralentiza | va a tirones | muy lento
        3: velocidad de escritura | velocidad de lectura | tasa de transferencia | velocidad de transferencia | ha bajado a | bajo hasta | caida de rendimiento | mas lento | mucho mas lento | degradad*
        2.5: en lugar de los ~ habituales | en vez de los ~ habituales | solo ~ mb s
        3: paso de tortuga | como una tortuga | tarda una eternidad | tarda siglos | va a pedales | una eternidad
    """,
    "tech.config": """
        3: configurar | configuracion | cortafuego* | firewall | regla* | dns inverso | reverse dns | rdns | ptr
        3: abrir el puerto | abrais el puerto | abrir un puerto | desbloquear el puerto | instalar | instalacion
        3: vlan | ip adicional | ips adicionales | personalizad* | a medida | montar | habilitar | activar
        2: puerto* | reinstal* | subred | enrutamiento | proxy
        3: al entregar | en la entrega | montar un raid | montar raid | configurar un raid | configurar raid
    """,
    "tech.hardware": """
        3: acceso kvm | acceso a kvm | acceso al kvm | acceso ipmi | acceso al ipmi | conectar un kvm | necesito kvm
        3: disco* | raid | memoria ram | ram | modulo de memoria | fuente de alimentacion | sustitu* | reemplaz*
        3: cambiar el disco | cambiar la fuente | tecnico in situ | en el centro de datos | kvm | ipmi | idrac
        3: cable* | tarjeta de red | placa base | ventilador* | hardware | averiad* | defectuos*
        2: averia | estropead* | rack | cambiar
        3: ampliar la ram | ampliar ram | anadir disco | disco duro | fallo de hardware
        2.5: ruido* | pitido* | chirri*
    """,
    "account.access": """
        3: area de cliente | area cliente | panel de cliente | iniciar sesion | inicio de sesion | contrasena
        3: restablecer | recuperar la contrasena | 2fa | doble factor | autenticacion | codigo de verificacion
        3: cuenta bloqueada | no puedo entrar | no puedo acceder a mi cuenta | acceder al panel | login
        3: entrar en el panel | acceder al panel | mi usuario | usuario no existe
        2: cuenta | acceder | codigo | enlace ~ caducado | usuario
        3: no puedo entrar | olvide la contrasena | recuperar el acceso | no puedo iniciar sesion
        3: area de clientes | bloqueado fuera | me he quedado bloqueado
        2: bloquead*
        3: credenciales | no me deja entrar | usuario o contrasena | no puedo loguearme | no consigo entrar
    """,
    "other": """
        2.5: ofreceis | ofrecen | teneis disponibilidad | tienen disponibilidad | presupuesto | certificado* | vendeis
        2: teneis | tienen | haceis
        2.5: programa de afiliados | programa de partners | colaboracion | colocation | housing | auditoria
        2: disponibilidad | tarifa* | precio* | contrato | rgpd | iso
        3: presupuesto para | necesitariamos un presupuesto | enviar una oferta | enviarnos una oferta | cotizacion | mover mis servicios | trasladar ~ servicios | a otra cuenta | cambiar el titular | cambio de titular | fusionar ~ cuentas
        3: cuanto cuesta | cuanto cuestan | que precio tiene | precio de un | precio del | tarifa de
    """,
    "part": """
        1: disco* | memoria* | modulo* | fuente* | placa base | ventilador* | controladora | tarjeta de red
        1: fuente de alimentacion | fuentes de alimentacion
    """,
    "fault": """
        1: averia* | averiad* | fallo* | falla* | fallando | error* | defectuos* | roto | rota | muerto | degradad* | failure
    """,
    "channel": """
        1: chat | linea telefonica | telefono
    """,
    "team": """
        1: facturacion | contabilidad | administrador* | tecnicos | datacenter | centro de datos | equipo | departamento
    """,
    "purchase": """
        1: presupuesto | cotizacion | oferta | precio* | comprar | contratar
        1: cuesta | cuestan | precio
    """,
}
